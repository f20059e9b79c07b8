"""Reads behind /readyz and /metrics."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from portal.health.models import Heartbeat
from portal.health.services import BEAT


def heartbeat_age(*, name: str = BEAT, now: datetime | None = None) -> timedelta | None:
    """How long ago the heartbeat was recorded; None if it never was."""
    beat_at = Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
    if beat_at is None:
        return None
    return (now or timezone.now()) - beat_at
