"""Who hears about what on a case, and the email they get."""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from cases.models import Case, Reply
from portal.emails import build_email
from portal.models import Membership


class EmailKind(StrEnum):
    CASE_RECEIVED = "case_received"
    STAFF_REPLY = "case_staff_reply"
    CONTACT_REPLY = "case_contact_reply"


def queue_case_email(kind: EmailKind, *, case_id: int, reply_id: int | None = None) -> None:
    from cases.intake.tasks import deliver_case_email

    transaction.on_commit(lambda: deliver_case_email.delay(str(kind), case_id, reply_id))


def designated_contact_emails(reseller_id: int) -> list[str]:
    return [
        email
        for email in Membership.objects.designated()
        .filter(reseller_id=reseller_id)
        .values_list("user__email", flat=True)
        if email
    ]


def care_recipients(case: Case) -> list[str]:
    if case.assignee and case.assignee.email:
        return [case.assignee.email]
    return [settings.CARE_QUEUE_EMAIL]


def build_case_email(kind: EmailKind, case_id: int, reply_id: int | None) -> EmailMultiAlternatives | None:
    case = Case.objects.select_related("account", "service", "assignee", "reseller").get(pk=case_id)
    reply = Reply.objects.select_related("author").get(pk=reply_id) if reply_id else None
    if reply is not None and reply.visibility != Reply.Visibility.PUBLIC:
        return None  # internal notes never leave Customer Care
    if kind in (EmailKind.CASE_RECEIVED, EmailKind.STAFF_REPLY):
        to = designated_contact_emails(case.reseller_id)
    else:
        to = care_recipients(case)
    if not to:
        return None
    # The enum's values are the email template names.
    context = {"case": case, "reply": reply, "care_phone": settings.CARE_PHONE}
    return build_email(kind.value, context, to)


def send_case_email(kind: EmailKind, case_id: int, reply_id: int | None = None) -> int:
    message = build_case_email(kind, case_id, reply_id)
    return message.send() if message is not None else 0
