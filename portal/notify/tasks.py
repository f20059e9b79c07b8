"""Celery entry points of the outbox; the logic lives in portal.notify.services."""

from __future__ import annotations

from celery import shared_task

from portal.notify.services import notification_deliver, notification_requeue_due


# No autoretry: a failed send is recorded on the row with its backoff, and the beat re-queues it.
# acks_late: a worker killed mid-task gives the message back; the lease decides who sends.
@shared_task(ignore_result=True, acks_late=True)
def deliver_notification(notification_id: int) -> bool:
    return notification_deliver(notification_id=notification_id)


@shared_task(ignore_result=True)
def requeue_notifications() -> int:
    return notification_requeue_due()
