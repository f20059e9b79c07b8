"""Escalation writes (Support Guide: Critical is submitted as High, then raised by phone; severity
may be re-determined by both sides and Care has the final word).

Like cases.intake.services: typed, keyword-only, one transaction each, a history row for every change,
emails queued in the same transaction (cases.escalation.emails). Severity itself always changes
through case_change_severity (below), which re-targets the SLA milestones, writes the timeline row
and emails the reseller.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.escalation import emails, events
from cases.intake import events as intake_events
from cases.models import Case, CaseEvent, Severity, SeverityCall, SeverityRequest, Status
from portal.access import is_care_staff, require_care_staff, require_designated_contact
from portal.models import Membership, User
from sla.clocks import services as milestones
from sla.models import MilestoneKind


def on_call_candidates(case: Case) -> QuerySet[Membership]:
    """Who may be named reachable at all times: the case reseller's approved contacts with a 24x7 phone."""
    return (
        Membership.objects.designated()
        .filter(reseller_id=case.reseller_id)
        .exclude(phone_24x7="")
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def on_call_problem(case: Case, membership: Membership | None) -> str | None:
    """Why this membership cannot be the case's contact reachable at all times, or None if it can."""
    if membership is None:
        return _(
            "A Critical case must name a Designated Contact reachable at all times. Name one first "
            "(the reseller can do it on the case page)."
        )
    if not on_call_candidates(case).filter(pk=membership.pk).exists():
        return _(
            "The contact reachable at all times must be an approved Designated Contact of this case's "
            "reseller with a 24x7 phone number."
        )
    return None


def severity_raise_errors(
    *, case: Case, severity: int, caller: str, called_at: datetime | None, reason: str,
    on_call_contact: Membership | None,
) -> dict[str, list[str]]:
    """The rules for Care raising severity after a call; keys: caller, called_at, reason, on_call_contact."""
    errors: dict[str, list[str]] = {}
    if not caller.strip():
        errors["caller"] = [_("Record who called to raise the severity.")]
    if called_at is None:
        errors["called_at"] = [_("Record when they called.")]
    elif called_at > timezone.now():
        errors["called_at"] = [_("This date and time is in the future.")]
    if not reason.strip():
        errors["reason"] = [_("Record the reason for raising the severity.")]
    if severity == Severity.CRITICAL:
        problem = on_call_problem(case, on_call_contact)
        if problem:
            errors["on_call_contact"] = [problem]
    return errors


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(no_key=True).get(pk=case.pk)


@transaction.atomic
def case_flag_critical_call(*, case: Case, contact: User) -> Case:
    """The contact says they are calling Care to raise a High case to Critical: top of Care's queue."""
    require_designated_contact(contact)
    case = _locked(case)
    if not case.is_open or case.severity != Severity.HIGH:
        raise ValidationError(_("Only an open High case can be flagged for raising to Critical."))
    if case.calling_for_critical_at is None:
        case.calling_for_critical_at = timezone.now()
        case.save(update_fields=["calling_for_critical_at", "updated_at"])
        events.critical_call_flagged_event(case=case, contact=contact)
    return case


@transaction.atomic
def case_name_on_call(*, case: Case, actor: User, membership: Membership) -> Case:
    """Names the Designated Contact reachable at all times (a contact of the reseller, or Care)."""
    if not is_care_staff(actor):
        own = require_designated_contact(actor)
        if own.reseller_id != case.reseller_id:
            raise PermissionDenied("Another reseller's case.")
    case = _locked(case)
    problem = on_call_problem(case, membership)
    if problem:
        raise ValidationError({"on_call_contact": [problem]})
    if case.on_call_contact_id != membership.pk:
        case.on_call_contact = membership
        case.save(update_fields=["on_call_contact", "updated_at"])
        events.on_call_named_event(case=case, actor=actor, membership=membership)
    return case


@transaction.atomic
def severity_raise(
    *, case: Case, actor: User, severity: int, caller: str, called_at: datetime | None, reason: str
) -> SeverityCall:
    """Care raises severity after the contact's call; the call is recorded, or nothing happens."""
    require_care_staff(actor)
    case = _locked(case)
    if severity not in Severity.values or severity >= case.severity:
        raise ValidationError({"severity": [_("Choose a higher severity than the current one.")]})
    errors = severity_raise_errors(
        case=case, severity=severity, caller=caller, called_at=called_at, reason=reason,
        on_call_contact=case.on_call_contact,
    )
    if errors:
        raise ValidationError(errors)
    assert called_at is not None  # severity_raise_errors refused a missing time
    call = SeverityCall.objects.create(
        case=case, from_severity=case.severity, to_severity=severity, caller=caller.strip(),
        called_at=called_at, reason=reason.strip(), recorded_by=actor,
    )
    case_change_severity(case=case, actor=actor, severity=severity, reason=reason.strip())
    return call


@transaction.atomic
def severity_request_create(*, case: Case, contact: User, severity: int, reason: str) -> SeverityRequest:
    """A Designated Contact asks Care to re-determine severity; one pending request per case."""
    membership = require_designated_contact(contact)
    if membership.reseller_id != case.reseller_id:
        raise PermissionDenied("Another reseller's case.")
    case = _locked(case)
    errors: dict[str, list[str]] = {}
    if not case.is_open:
        raise ValidationError(_("Severity can only be re-determined on an open case."))
    if severity not in Severity.values or severity == case.severity:
        errors["severity"] = [_("Choose a severity different from the current one.")]
    if not reason.strip():
        errors["reason"] = [_("Explain why the severity should change.")]
    if case.severity_requests.filter(status=SeverityRequest.Status.PENDING).exists():
        errors.setdefault("__all__", []).append(
            _("A severity request is already awaiting Customer Care on this case.")
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            request = SeverityRequest.objects.create(
                case=case, requested_by=contact, from_severity=case.severity,
                requested_severity=severity, reason=reason.strip(),
            )
    except IntegrityError as error:  # a concurrent request won the race
        raise ValidationError(
            _("A severity request is already awaiting Customer Care on this case.")
        ) from error
    events.severity_requested_event(case=case, contact=contact, request=request)
    emails.severity_requested_notify(case=case, request=request)
    return request


def _decide(request: SeverityRequest, actor: User, status: str, reason: str) -> SeverityRequest:
    require_care_staff(actor)
    request = SeverityRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
    if request.status != SeverityRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not reason.strip():
        raise ValidationError({"decision_reason": [_("Give the reason for the decision.")]})
    case = _locked(request.case)
    if status == SeverityRequest.Status.ACCEPTED and request.requested_severity == Severity.CRITICAL:
        problem = on_call_problem(case, case.on_call_contact)
        if problem:
            raise ValidationError({"decision_reason": [problem]})
    request.status = status
    request.decided_by = actor
    request.decision_reason = reason.strip()
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decision_reason", "decided_at"])
    events.severity_request_decided_event(case=case, actor=actor, request=request)
    if status == SeverityRequest.Status.ACCEPTED:
        # The decision email tells the reseller the new severity; no second email for the change.
        case_change_severity(
            case=case, actor=actor, severity=request.requested_severity, reason=request.decision_reason,
            notify_reseller=False,
        )
    emails.severity_decided_notify(case=case, request=request)
    return request


@transaction.atomic
def severity_request_accept(*, request: SeverityRequest, actor: User, reason: str) -> SeverityRequest:
    return _decide(request, actor, SeverityRequest.Status.ACCEPTED, reason)


@transaction.atomic
def severity_request_decline(*, request: SeverityRequest, actor: User, reason: str) -> SeverityRequest:
    return _decide(request, actor, SeverityRequest.Status.DECLINED, reason)


def severity_changed(
    *, case: Case, old: int, new: int, event: CaseEvent, notify_reseller: bool = True
) -> None:
    """Called by services.case_change_severity inside its transaction after every change."""
    if new == Severity.CRITICAL:
        if case.calling_for_critical_at is not None:
            case.calling_for_critical_at = None
            case.save(update_fields=["calling_for_critical_at", "updated_at"])
        emails.critical_alert_notify(case=case, event=event, old=old, new=new)
    if notify_reseller:
        emails.severity_changed_notify(case=case, event=event, old=old, new=new)


@transaction.atomic
def case_change_severity(
    *, case: Case, actor: User, severity: int, reason: str = "", notify_reseller: bool = True
) -> Case:
    require_care_staff(actor)  # Care has the final word on severity
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Unknown severity.")})
    if severity != case.severity:
        old = case.severity
        case.severity = severity
        case.save(update_fields=["severity", "updated_at"])
        event = intake_events.severity_changed_event(case=case, actor=actor, old=old, new=severity, reason=reason)
        # Clears the "calling for Critical" flag, alerts the queue on Critical, emails the reseller.
        severity_changed(case=case, old=old, new=severity, event=event, notify_reseller=notify_reseller)
        now = timezone.now()
        milestones.milestones_retarget(
            case=case, at=now, reason=f"{Severity(old).label} -> {Severity(severity).label}",
            closed=case.status == Status.CLOSED,
        )
        if case.status == Status.AWAITING_RESELLER:
            milestones.milestone_pause(case=case, kind=MilestoneKind.RESTORATION, at=now)
    return case
