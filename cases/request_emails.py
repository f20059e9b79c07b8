"""Emails about MAC/D, feature and uptime credit requests.

Queued with transaction.on_commit and built by the Celery task from stored rows, like case emails.
Every email is three templates in templates/emails/ (the enum values are their names).
"""

from __future__ import annotations

import smtplib
from enum import StrEnum

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from cases.intake.emails import designated_contact_emails
from cases.models import (
    CreditEvent,
    FeatureEvent,
    FeatureRequest,
    MacdEvent,
    MacdRequest,
    UptimeCreditRequest,
)
from portal.emails import build_email

MODELS = {
    "macd": (MacdRequest, MacdEvent),
    "feature": (FeatureRequest, FeatureEvent),
    "credit": (UptimeCreditRequest, CreditEvent),
}


class RequestEmail(StrEnum):
    TO_CARE = "request_to_care"  # a new request, to the Customer Care queue
    TO_CSM = "macd_to_csm"  # a MAC/D for a CSM-routed service, to the account's CSM
    UPDATED = "request_updated"  # a status change or staff comment, to the reseller's Designated Contacts
    CONTACT_COMMENT = "request_contact_comment"  # a Designated Contact's comment, to the Customer Care queue


def queue_request_email(kind: RequestEmail, *, what: str, request_id: int, event_id: int | None = None) -> None:
    transaction.on_commit(lambda: deliver_request_email.delay(str(kind), what, request_id, event_id))


def build_request_email(kind: RequestEmail, what: str, request_id: int,
                        event_id: int | None) -> EmailMultiAlternatives | None:
    model, event_model = MODELS[what]
    request = model.objects.select_related("reseller", "requested_by", "service").get(pk=request_id)
    event = event_model.objects.select_related("actor").get(pk=event_id, request=request) if event_id else None
    lines = list(request.lines.all()) if what == "macd" else []
    context = {"request": request, "what": what, "event": event, "lines": lines}
    reply_to: list[str] = []
    if kind in (RequestEmail.TO_CARE, RequestEmail.CONTACT_COMMENT):
        to = [settings.CARE_QUEUE_EMAIL]
    elif kind == RequestEmail.TO_CSM:
        to = [request.csm_recipient]
        if request.requested_by.email:
            reply_to = [request.requested_by.email]
    else:
        to = designated_contact_emails(request.reseller_id)
    to = [address for address in to if address]
    if not to:
        return None
    message = build_email(kind.value, context, to)
    message.reply_to = reply_to
    return message


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def deliver_request_email(kind: str, what: str, request_id: int, event_id: int | None = None) -> int:
    message = build_request_email(RequestEmail(kind), what, request_id, event_id)
    return message.send() if message is not None else 0
