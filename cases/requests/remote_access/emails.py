"""Emails about remote access: the ask goes to the reseller's Designated Contacts, the answer to
the case's engineer (else the Care queue). Queued on commit, built by the task from stored rows."""

from __future__ import annotations

from enum import StrEnum

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from cases.intake.emails import care_recipients, designated_contact_emails
from cases.requests.common import EMAIL_TASK_OPTIONS, request_email
from cases.requests.remote_access.models import RemoteAccessRequest


class RemoteAccessEmail(StrEnum):
    # The values are the email template names.
    REQUESTED = "remote_access_requested"
    DECIDED = "remote_access_decided"


def queue_remote_access_email(kind: RemoteAccessEmail, *, object_id: int) -> None:
    transaction.on_commit(lambda: deliver_remote_access_email.delay(str(kind), object_id))


def build_remote_access_email(
    kind: RemoteAccessEmail, object_id: int
) -> EmailMultiAlternatives | None:
    access_request = RemoteAccessRequest.objects.select_related(
        "case__account", "case__reseller", "case__assignee", "requested_by", "decided_by"
    ).get(pk=object_id)
    case = access_request.case
    if kind == RemoteAccessEmail.REQUESTED:
        to = designated_contact_emails(case.reseller_id)
    else:
        to = care_recipients(case)
    context = {"case": case, "access_request": access_request, "care_phone": settings.CARE_PHONE}
    return request_email(kind.value, context, to)


@shared_task(**EMAIL_TASK_OPTIONS)
def deliver_remote_access_email(kind: str, object_id: int) -> int:
    message = build_remote_access_email(RemoteAccessEmail(kind), object_id)
    return message.send() if message is not None else 0
