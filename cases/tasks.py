from __future__ import annotations

import smtplib

from celery import shared_task

from cases.notifications import EmailKind, send_case_email


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def deliver_case_email(kind: str, case_id: int, reply_id: int | None = None) -> int:
    return send_case_email(EmailKind(kind), case_id, reply_id)


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def deliver_followup_email(kind: str, object_id: int, ics: str = "") -> int:
    from cases.followup_mail import FollowUpEmail, send_followup_email

    return send_followup_email(FollowUpEmail(kind), object_id, ics)


@shared_task(ignore_result=True)
def sweep_followups() -> int:
    from cases.followups import sweep_followups as sweep

    return sweep()


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError), retry_backoff=True, max_retries=8)
def deliver_followup_alert(model: str, object_id: int, level: str) -> int:
    from cases.followup_mail import AlertLevel, alert_message

    return alert_message(model, object_id, AlertLevel(level)).send()
# Escalation emails have their own task; importing it here registers it with the worker.
from cases.escalation_emails import deliver_escalation_email  # noqa: E402,F401
