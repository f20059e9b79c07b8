"""Celery entry points of the outbox; the logic lives in portal.notify.services."""

from __future__ import annotations

from celery import shared_task

from portal.notify.batch import DELIVERY_CHUNK, notifications_fan_out
from portal.notify.services import notification_deliver, notification_requeue_due


# No autoretry: a failed send is recorded on the row with its backoff, and the beat re-queues it.
# acks_late: a worker killed mid-task gives the message back; the lease decides who sends.
@shared_task(ignore_result=True, acks_late=True)
def deliver_notification(notification_id: int) -> bool:
    return notification_deliver(notification_id=notification_id)


@shared_task(ignore_result=True)
def requeue_notifications() -> int:
    return notification_requeue_due()


# Bulk-queued rows (portal.notify.batch): the tick publishes one message for its whole batch; the
# worker that takes it splits it into chunks for every worker to share. Each row keeps its lease.
@shared_task(ignore_result=True, acks_late=True)
def deliver_notifications(notification_ids: list[int]) -> int:
    if len(notification_ids) > DELIVERY_CHUNK:
        return notifications_fan_out(notification_ids)
    return sum(notification_deliver(notification_id=pk) for pk in notification_ids)
