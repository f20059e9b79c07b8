from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import DatabaseError

from sla.alerts import sweep as alerts


@shared_task(ignore_result=True)
def sweep_milestones() -> int:
    return alerts.sweep()


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, DatabaseError),
    retry_backoff=True, max_retries=8, ignore_result=True,
)
def deliver_milestone_alert(alert_id: int) -> int:
    return alerts.deliver(alert_id)
