from __future__ import annotations

import smtplib

from celery import shared_task

from cases.intake.emails import EmailKind, send_case_email


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def deliver_case_email(kind: str, case_id: int, reply_id: int | None = None) -> int:
    return send_case_email(EmailKind(kind), case_id, reply_id)
