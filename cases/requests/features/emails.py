"""Emails about feature requests: a new one to the Care queue; a status change, staff comment or
merge to the submitting reseller's Designated Contacts. Queued on commit, built by the task from
stored rows."""

from __future__ import annotations

from enum import StrEnum

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from cases.intake.emails import designated_contact_emails
from cases.requests.common import EMAIL_TASK_OPTIONS, request_email
from cases.requests.features.models import FeatureEvent, FeatureRequest


class FeatureEmail(StrEnum):
    # The values are the email template names (shared with the other worked requests).
    TO_CARE = "request_to_care"
    UPDATED = "request_updated"


def queue_feature_email(
    kind: FeatureEmail, *, request_id: int, event_id: int | None = None
) -> None:
    transaction.on_commit(lambda: deliver_feature_email.delay(str(kind), request_id, event_id))


def build_feature_email(
    kind: FeatureEmail, request_id: int, event_id: int | None
) -> EmailMultiAlternatives | None:
    request = FeatureRequest.objects.select_related("reseller", "requested_by", "service").get(
        pk=request_id
    )
    event = (
        FeatureEvent.objects.select_related("actor").get(pk=event_id, request=request)
        if event_id
        else None
    )
    context = {"request": request, "what": "feature", "event": event, "lines": []}
    if kind == FeatureEmail.UPDATED:
        return request_email(kind.value, context, designated_contact_emails(request.reseller_id))
    return request_email(kind.value, context, [settings.CARE_QUEUE_EMAIL])


@shared_task(**EMAIL_TASK_OPTIONS)
def deliver_feature_email(kind: str, request_id: int, event_id: int | None = None) -> int:
    message = build_feature_email(FeatureEmail(kind), request_id, event_id)
    return message.send() if message is not None else 0
