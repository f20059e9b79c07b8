"""The trail's retention, run daily by the beat (CELERY_BEAT_SCHEDULE["audit-prune"])."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from portal.audit.services import audit_prune


@shared_task(name="portal.audit.tasks.prune_audit_events")
def prune_audit_events() -> int:
    return audit_prune(retention_days=settings.AUDIT_RETENTION_DAYS)
