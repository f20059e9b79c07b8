"""Escalation emails: who hears about a severity change, a Critical raise and re-determination.

Kept apart from cases/notifications.py (replies and intake) so escalation can change on its own.
Every email is queued with transaction.on_commit and built by the Celery task from stored rows.
"""

from __future__ import annotations

import smtplib
from enum import StrEnum

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from cases.intake.emails import care_recipients, designated_contact_emails
from cases.models import Case, CaseEvent, SeverityCall, SeverityRequest
from portal.emails import build_email


class EscalationEmail(StrEnum):
    # The values are the email template names.
    SEVERITY_CHANGED = "case_severity_changed"  # to the reseller's Designated Contacts
    CRITICAL_ALERT = "case_critical_alert"  # to the care queue, at once
    SEVERITY_REQUESTED = "case_severity_requested"  # to the assignee, else the care queue
    SEVERITY_DECIDED = "case_severity_decided"  # to the reseller's Designated Contacts


def queue_escalation_email(kind: EscalationEmail, *, case_id: int, object_id: int | None = None) -> None:
    """object_id: the CaseEvent (severity changed, Critical alert) or SeverityRequest it is about."""
    transaction.on_commit(lambda: deliver_escalation_email.delay(str(kind), case_id, object_id))


def build_escalation_email(
    kind: EscalationEmail, case_id: int, object_id: int | None
) -> EmailMultiAlternatives | None:
    case = Case.objects.select_related(
        "account", "service", "assignee", "reseller", "on_call_contact__user"
    ).get(pk=case_id)
    context: dict[str, object] = {"case": case, "care_phone": settings.CARE_PHONE}
    if kind in (EscalationEmail.SEVERITY_CHANGED, EscalationEmail.CRITICAL_ALERT):
        context["event"] = CaseEvent.objects.select_related("actor").get(pk=object_id, case=case)
        context["call"] = SeverityCall.objects.filter(case=case).select_related("recorded_by").last()
    else:
        context["request"] = SeverityRequest.objects.select_related("requested_by", "decided_by").get(
            pk=object_id, case=case
        )
    if kind in (EscalationEmail.SEVERITY_CHANGED, EscalationEmail.SEVERITY_DECIDED):
        to = designated_contact_emails(case.reseller_id)
    elif kind == EscalationEmail.CRITICAL_ALERT:
        to = [settings.CARE_QUEUE_EMAIL]
    else:
        to = care_recipients(case)
    if not to:
        return None
    return build_email(kind.value, context, to)


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def deliver_escalation_email(kind: str, case_id: int, object_id: int | None = None) -> int:
    message = build_escalation_email(EscalationEmail(kind), case_id, object_id)
    return message.send() if message is not None else 0
