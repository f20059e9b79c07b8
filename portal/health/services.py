"""The one write of the health topic: record a heartbeat (a system action, nobody else acts)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from portal.health.models import Heartbeat

BEAT = "celery-beat"


def heartbeat_record(*, name: str = BEAT, now: datetime | None = None) -> datetime:
    beat_at = now or timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": beat_at})
    return beat_at
