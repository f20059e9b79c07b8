"""Emails about uptime credit requests: a new one to the Care queue; a status change or staff
comment to the reseller's Designated Contacts. Queued on commit, built by the task from stored
rows."""

from __future__ import annotations

from enum import StrEnum

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from cases.intake.emails import designated_contact_emails
from cases.requests.common import EMAIL_TASK_OPTIONS, request_email
from cases.requests.credits.models import CreditEvent, UptimeCreditRequest


class CreditEmail(StrEnum):
    # The values are the email template names (shared with the other worked requests).
    TO_CARE = "request_to_care"
    UPDATED = "request_updated"


def queue_credit_email(kind: CreditEmail, *, request_id: int, event_id: int | None = None) -> None:
    transaction.on_commit(lambda: deliver_credit_email.delay(str(kind), request_id, event_id))


def build_credit_email(
    kind: CreditEmail, request_id: int, event_id: int | None
) -> EmailMultiAlternatives | None:
    request = UptimeCreditRequest.objects.select_related("reseller", "requested_by", "service").get(
        pk=request_id
    )
    event = (
        CreditEvent.objects.select_related("actor").get(pk=event_id, request=request)
        if event_id else None
    )
    context = {"request": request, "what": "credit", "event": event, "lines": []}
    if kind == CreditEmail.UPDATED:
        return request_email(kind.value, context, designated_contact_emails(request.reseller_id))
    return request_email(kind.value, context, [settings.CARE_QUEUE_EMAIL])


@shared_task(**EMAIL_TASK_OPTIONS)
def deliver_credit_email(kind: str, request_id: int, event_id: int | None = None) -> int:
    message = build_credit_email(CreditEmail(kind), request_id, event_id)
    return message.send() if message is not None else 0
