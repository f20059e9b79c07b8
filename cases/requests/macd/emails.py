"""Emails about MAC/D requests: a new one to the Care queue or, for a CSM-routed service, to the
account's CSM; a status change or staff comment to the reseller's Designated Contacts; a contact's
comment to the Care queue. Queued on commit, built by the task from stored rows."""

from __future__ import annotations

from enum import StrEnum

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from cases.intake.emails import designated_contact_emails
from cases.requests.common import EMAIL_TASK_OPTIONS, request_email
from cases.requests.macd.models import MacdEvent, MacdRequest


class MacdEmail(StrEnum):
    # The values are the email template names (shared with the other worked requests).
    TO_CARE = "request_to_care"
    TO_CSM = "macd_to_csm"
    UPDATED = "request_updated"
    CONTACT_COMMENT = "request_contact_comment"


def queue_macd_email(kind: MacdEmail, *, request_id: int, event_id: int | None = None) -> None:
    transaction.on_commit(lambda: deliver_macd_email.delay(str(kind), request_id, event_id))


def build_macd_email(
    kind: MacdEmail, request_id: int, event_id: int | None
) -> EmailMultiAlternatives | None:
    request = MacdRequest.objects.select_related("reseller", "requested_by", "service").get(
        pk=request_id
    )
    event = (
        MacdEvent.objects.select_related("actor").get(pk=event_id, request=request)
        if event_id
        else None
    )
    context = {
        "request": request,
        "what": "macd",
        "event": event,
        "lines": list(request.lines.all()),
    }
    if kind == MacdEmail.TO_CSM:
        reply_to = [request.requested_by.email] if request.requested_by.email else []
        return request_email(kind.value, context, [request.csm_recipient], reply_to=reply_to)
    if kind == MacdEmail.UPDATED:
        return request_email(kind.value, context, designated_contact_emails(request.reseller_id))
    return request_email(kind.value, context, [settings.CARE_QUEUE_EMAIL])


@shared_task(**EMAIL_TASK_OPTIONS)
def deliver_macd_email(kind: str, request_id: int, event_id: int | None = None) -> int:
    message = build_macd_email(MacdEmail(kind), request_id, event_id)
    return message.send() if message is not None else 0
