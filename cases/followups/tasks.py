from __future__ import annotations

import smtplib

from celery import shared_task


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def deliver_followup_email(kind: str, object_id: int, ics: str = "") -> int:
    from cases.followups.emails import FollowUpEmail, send_followup_email

    return send_followup_email(FollowUpEmail(kind), object_id, ics)


@shared_task(ignore_result=True)
def sweep_followups() -> int:
    from cases.followups.sweep import sweep_followups as sweep

    return sweep()


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError), retry_backoff=True, max_retries=8)
def deliver_followup_alert(model: str, object_id: int, level: str) -> int:
    from cases.followups.emails import AlertLevel, alert_message

    return alert_message(model, object_id, AlertLevel(level)).send()
