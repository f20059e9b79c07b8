"""The beat entry point of the SLA sweep. Its emails are outbox rows, delivered by portal.notify."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from sla.alerts import sweep as alerts
from sla.alerts.metrics import SWEEP_DURATION


@shared_task(ignore_result=True)
def sweep_milestones() -> int:
    with SWEEP_DURATION.time():
        return alerts.sweep(batch=settings.SLA_SWEEP_BATCH)
