"""The beat's heartbeat task (CELERY_BEAT_SCHEDULE "beat-heartbeat", every 30 seconds)."""

from __future__ import annotations

from celery import shared_task

from portal.health.services import heartbeat_record


# Expires: a heartbeat that waited in the queue longer than a beat interval proves nothing new,
# and a backlog of them must not make a revived worker look fresh for minutes.
@shared_task(ignore_result=True, expires=30)
def record_beat_heartbeat() -> None:
    heartbeat_record()
