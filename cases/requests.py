"""Writes for requests that are not technical cases: admin cases, data privacy requests, and consent
to remote access on a case.

Like cases.intake.services: typed, keyword-only, one transaction each, history where it matters, emails
queued on commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cases.intake.emails import EmailKind, queue_case_email
from cases.intake.services import case_number_for
from cases.models import (
    Case,
    CaseEvent,
    CaseKind,
    DataPrivacyRequest,
    DataPrivacyRequestEvent,
    Frequency,
    RemoteAccessRequest,
    Severity,
    Status,
)
from cases.requests_emails import RequestEmail, queue_request_email
from portal.access import is_care_staff, is_data_privacy_staff, require_designated_contact
from portal.models import User
from sla.clocks import services as milestones

ADMIN_TOPICS = [
    ("access", _lazy("Access and logins")),
    ("licensing", _lazy("Licensing")),
    ("account", _lazy("Account administration")),
]
# Section 4.2 fields an admin case does not ask for; the service fills them, so validation skips them.
ADMIN_CASE_BLANK_FIELDS = (
    "impacted_location", "impacted_working_hours", "business_impact", "steps_to_reproduce",
    "local_contact_phone",
)


def _own_account_errors(membership_reseller_id: int, details: Mapping[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    account = details.get("account")
    if account is None or account.reseller_id != membership_reseller_id:
        errors["account"] = [_("Choose one of your reseller's end-user accounts.")]
    return errors


# --- admin cases ----------------------------------------------------------------------------------


@transaction.atomic
def admin_case_create(*, contact: User, details: Mapping[str, Any]) -> Case:
    """An admin case (access, licensing, account administration): response in 2 business days."""
    membership = require_designated_contact(contact)
    errors = _own_account_errors(membership.reseller_id, details)
    account = details.get("account")
    service = details.get("service")
    if not errors and (service is None or not account.services.filter(pk=service.pk).exists()):
        errors["service"] = [_("This account does not subscribe to that service.")]
    topics = dict(ADMIN_TOPICS)
    if details.get("topic") not in topics:
        errors["topic"] = [_("Choose what the request is about.")]
    for field in ("subject", "description"):
        if not str(details.get(field) or "").strip():
            errors[field] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    case = Case(
        kind=CaseKind.ADMIN, reseller_id=account.reseller_id, account=account, service=service,
        opened_by=contact, subject=details["subject"].strip(), priority=Severity.LOW, severity=Severity.LOW,
        status=Status.NEW, users_affected=0, frequency=Frequency.ONCE, first_observed_at=now,
        impacted_time_zone=account.time_zone, impacted_location="", impacted_working_hours="",
        business_impact="", what_went_wrong=details["description"].strip(), steps_to_reproduce="",
        local_contact_name=(contact.get_full_name() or contact.get_username())[:200],
        local_contact_phone=membership.phone_24x7, local_contact_email=contact.email,
    )
    case.full_clean(exclude=["number", *ADMIN_CASE_BLANK_FIELDS])
    case.save()
    case.number = case_number_for(case.pk)
    case.save(update_fields=["number"])
    milestones.milestones_start(case=case)  # sla.clocks.services picks the admin-cases policy for this kind
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.CREATED, actor=contact, new_value=str(CaseKind.ADMIN.label),
        detail=str(topics[details["topic"]]),
    )
    queue_case_email(EmailKind.CASE_RECEIVED, case_id=case.pk)
    return case


# --- data privacy requests ------------------------------------------------------------------------


@transaction.atomic
def privacy_request_create(*, contact: User, details: Mapping[str, Any]) -> DataPrivacyRequest:
    membership = require_designated_contact(contact)
    errors = _own_account_errors(membership.reseller_id, details)
    if details.get("request_type") not in DataPrivacyRequest.Type.values:
        errors["request_type"] = [_("Choose the kind of request.")]
    for field in ("subject_identifier", "details"):
        if not str(details.get(field) or "").strip():
            errors[field] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    privacy_request = DataPrivacyRequest(
        reseller_id=membership.reseller_id, account=details["account"], requested_by=contact,
        request_type=details["request_type"], subject_identifier=details["subject_identifier"].strip(),
        details=details["details"].strip(),
    )
    privacy_request.full_clean()
    privacy_request.save()
    DataPrivacyRequestEvent.objects.create(
        privacy_request=privacy_request, actor=contact, new_status=privacy_request.status
    )
    return privacy_request


@transaction.atomic
def privacy_request_update(
    *, privacy_request: DataPrivacyRequest, actor: User, status: str, response: str = ""
) -> DataPrivacyRequest:
    """The Data privacy team moves a request on; the reseller sees its status and the response."""
    if not is_data_privacy_staff(actor):
        raise PermissionDenied("Only the Data privacy team handles data privacy requests.")
    if status not in DataPrivacyRequest.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    privacy_request = DataPrivacyRequest.objects.select_for_update().get(pk=privacy_request.pk)
    old_status, response = privacy_request.status, response.strip()
    if (status, response) == (old_status, privacy_request.response):
        return privacy_request
    privacy_request.status = status
    privacy_request.response = response
    privacy_request.handled_by = actor
    privacy_request.save(update_fields=["status", "response", "handled_by", "updated_at"])
    DataPrivacyRequestEvent.objects.create(
        privacy_request=privacy_request, actor=actor, old_status=old_status, new_status=status, note=response
    )
    if status != old_status:
        queue_request_email(RequestEmail.PRIVACY_REQUEST_UPDATED, object_id=privacy_request.pk)
    return privacy_request


# --- remote access consent ------------------------------------------------------------------------


@transaction.atomic
def remote_access_request_create(*, case: Case, actor: User, reason: str) -> RemoteAccessRequest:
    """Care asks the reseller for remote access to the end user's environment for this case only."""
    if not is_care_staff(actor):
        raise PermissionDenied("Only Customer Care staff may ask for remote access.")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why remote access is needed.")})
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("Remote access can only be asked for on an open case."))
    if case.remote_access_requests.filter(status=RemoteAccessRequest.Status.PENDING).exists():
        raise ValidationError(_("The reseller has not yet answered the previous remote access request."))
    access_request = RemoteAccessRequest.objects.create(case=case, requested_by=actor, reason=reason.strip())
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.REMOTE_ACCESS, actor=actor,
        new_value=str(_lazy("Requested")), detail=access_request.reason,
    )
    queue_request_email(RequestEmail.REMOTE_ACCESS_REQUESTED, object_id=access_request.pk)
    return access_request


@transaction.atomic
def remote_access_request_decide(
    *, access_request: RemoteAccessRequest, contact: User, approve: bool
) -> RemoteAccessRequest:
    """A Designated Contact of the case's reseller approves or refuses, for that case only."""
    membership = require_designated_contact(contact)
    access_request = RemoteAccessRequest.objects.select_for_update().select_related("case").get(
        pk=access_request.pk
    )
    if membership.reseller_id != access_request.case.reseller_id:
        raise PermissionDenied("Another reseller's case.")
    if access_request.status != RemoteAccessRequest.Status.PENDING:
        raise ValidationError(_("This remote access request has already been answered."))
    old = access_request.get_status_display()
    access_request.status = (
        RemoteAccessRequest.Status.APPROVED if approve else RemoteAccessRequest.Status.REFUSED
    )
    access_request.decided_by = contact
    access_request.decided_at = timezone.now()
    access_request.save(update_fields=["status", "decided_by", "decided_at"])
    CaseEvent.objects.create(
        case=access_request.case, kind=CaseEvent.Kind.REMOTE_ACCESS, actor=contact,
        old_value=str(old)[:200], new_value=str(access_request.get_status_display()),
    )
    queue_request_email(RequestEmail.REMOTE_ACCESS_DECIDED, object_id=access_request.pk)
    return access_request
