"""The case timeline's wording and fields for escalation, one writer per event."""

from __future__ import annotations

from cases.models import Case, CaseEvent, Severity, SeverityRequest
from portal.models import Membership, User


def critical_call_flagged_event(*, case: Case, contact: User) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.CRITICAL_CALL, actor=contact)


def on_call_named_event(*, case: Case, actor: User, membership: Membership) -> CaseEvent:
    name = membership.user.get_full_name() or membership.user.get_username()
    return CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.ON_CALL, actor=actor,
        new_value=f"{name} ({membership.phone_24x7})"[:200],
    )


def severity_requested_event(*, case: Case, contact: User, request: SeverityRequest) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.SEVERITY_REQUEST, actor=contact,
        old_value=str(Severity(case.severity).label), new_value=str(Severity(request.requested_severity).label),
        detail=request.reason,
    )


def severity_request_decided_event(*, case: Case, actor: User, request: SeverityRequest) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.SEVERITY_DECISION, actor=actor,
        old_value=str(Severity(request.requested_severity).label),
        new_value=str(SeverityRequest.Status(request.status).label), detail=request.decision_reason,
    )
