"""Emails about requests. Remote access: the ask goes to the reseller's Designated Contacts, the answer
to the case's engineer (else the care queue). A data privacy request's new status goes to the
reseller's Designated Contacts and the requester, naming no data subject. Queued on commit, built by
the task from stored rows."""

from __future__ import annotations

import smtplib
from enum import StrEnum

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from cases.intake.emails import care_recipients, designated_contact_emails
from portal.emails import build_email


class RequestEmail(StrEnum):
    # The values are the email template names.
    REMOTE_ACCESS_REQUESTED = "remote_access_requested"
    REMOTE_ACCESS_DECIDED = "remote_access_decided"
    PRIVACY_REQUEST_UPDATED = "privacy_request_updated"


def queue_request_email(kind: RequestEmail, *, object_id: int) -> None:
    transaction.on_commit(lambda: deliver_request_email.delay(str(kind), object_id))


def build_request_email(kind: RequestEmail, object_id: int) -> EmailMultiAlternatives | None:
    from cases.models import DataPrivacyRequest, RemoteAccessRequest

    if kind == RequestEmail.PRIVACY_REQUEST_UPDATED:
        privacy_request = DataPrivacyRequest.objects.select_related("account", "requested_by").get(pk=object_id)
        to = designated_contact_emails(privacy_request.reseller_id)
        if privacy_request.requested_by.email:
            to.append(privacy_request.requested_by.email)
        if not to:
            return None
        return build_email(kind.value, {"privacy_request": privacy_request}, to)

    access_request = RemoteAccessRequest.objects.select_related(
        "case__account", "case__reseller", "case__assignee", "requested_by", "decided_by"
    ).get(pk=object_id)
    case = access_request.case
    if kind == RequestEmail.REMOTE_ACCESS_REQUESTED:
        to = designated_contact_emails(case.reseller_id)
    else:
        to = care_recipients(case)
    if not to:
        return None
    context = {"case": case, "access_request": access_request, "care_phone": settings.CARE_PHONE}
    return build_email(kind.value, context, to)


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def deliver_request_email(kind: str, object_id: int) -> int:
    message = build_request_email(RequestEmail(kind), object_id)
    return message.send() if message is not None else 0
