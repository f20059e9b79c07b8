"""Emails about data privacy requests: a new status goes to the reseller's Designated Contacts and
the requester, naming no data subject. Queued on commit, built by the task from stored rows."""

from __future__ import annotations

from enum import StrEnum

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from cases.intake.emails import designated_contact_emails
from cases.requests.common import EMAIL_TASK_OPTIONS, request_email
from cases.requests.privacy.models import DataPrivacyRequest


class PrivacyEmail(StrEnum):
    # The values are the email template names.
    UPDATED = "privacy_request_updated"


def queue_privacy_email(kind: PrivacyEmail, *, object_id: int) -> None:
    transaction.on_commit(lambda: deliver_privacy_email.delay(str(kind), object_id))


def build_privacy_email(kind: PrivacyEmail, object_id: int) -> EmailMultiAlternatives | None:
    privacy_request = DataPrivacyRequest.objects.select_related("account", "requested_by").get(
        pk=object_id
    )
    to = designated_contact_emails(privacy_request.reseller_id)
    if privacy_request.requested_by.email:
        to.append(privacy_request.requested_by.email)
    return request_email(kind.value, {"privacy_request": privacy_request}, to)


@shared_task(**EMAIL_TASK_OPTIONS)
def deliver_privacy_email(kind: str, object_id: int) -> int:
    message = build_privacy_email(PrivacyEmail(kind), object_id)
    return message.send() if message is not None else 0
