"""The beat's heartbeat task (CELERY_BEAT_SCHEDULE "beat-heartbeat", every 30 seconds)."""

from __future__ import annotations

from celery import shared_task

from portal.health.services import heartbeat_record


# Expires (set per message by the schedule, one interval): a heartbeat that waited in the queue
# longer than that proves nothing new, and a backlog of them must not make a revived worker look
# fresh for minutes.
@shared_task(ignore_result=True)
def record_beat_heartbeat() -> None:
    heartbeat_record()
