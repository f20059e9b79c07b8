"""Escalation emails: who hears about a severity change, a Critical raise and re-determination.

Kept apart from cases/intake/emails.py (replies and intake) so escalation can change on its own.
Each function is called by an escalation service inside its transaction and queues one outbox
row per reader (portal.notify); templates live in templates/cases/escalation/emails/.
"""

from __future__ import annotations

from django.conf import settings

from cases.models import Case, CaseEvent, Severity, SeverityCall, SeverityRequest
from portal.notify.services import notification_queue
from portal.tenancy import recipients

TEMPLATES = "cases/escalation/emails/"


def _context(case: Case, **extra: object) -> dict[str, object]:
    return {"case": case, "care_phone": settings.CARE_PHONE, **extra}


def _change_context(case: Case, event: CaseEvent, old: int, new: int) -> dict[str, object]:
    # The severities as choices, not the event's stored labels, so each reader gets their language.
    return _context(
        case, event=event, old_severity=Severity(old), new_severity=Severity(new),
        call=SeverityCall.objects.filter(case=case).select_related("recorded_by").last(),
    )


def severity_changed_notify(*, case: Case, event: CaseEvent, old: int, new: int) -> None:
    """Every severity change Care makes: the reseller's Designated Contacts."""
    notification_queue(
        kind="case_severity_changed", template=TEMPLATES + "case_severity_changed",
        recipients=recipients.designated_contacts(case.reseller_id),
        context=_change_context(case, event, old, new), about=case,
        dedupe_key=f"severity-changed:{event.pk}",
    )


def critical_alert_notify(*, case: Case, event: CaseEvent, old: int, new: int) -> None:
    """A raise to Critical: the care queue, at once, whoever is assigned."""
    notification_queue(
        kind="case_critical_alert", template=TEMPLATES + "case_critical_alert",
        recipients=recipients.care_queue(), context=_change_context(case, event, old, new),
        about=case, dedupe_key=f"critical-alert:{event.pk}",
    )


def severity_requested_notify(*, case: Case, request: SeverityRequest) -> None:
    """A contact asks for another severity: the assigned engineer, else the care queue."""
    notification_queue(
        kind="case_severity_requested", template=TEMPLATES + "case_severity_requested",
        recipients=recipients.care_recipients(case.assignee), context=_context(case, request=request),
        about=case, dedupe_key=f"severity-requested:{request.pk}",
    )


def severity_decided_notify(*, case: Case, request: SeverityRequest) -> None:
    """Care accepted or declined the request: the reseller's Designated Contacts."""
    notification_queue(
        kind="case_severity_decided", template=TEMPLATES + "case_severity_decided",
        recipients=recipients.designated_contacts(case.reseller_id),
        context=_context(case, request=request), about=case,
        dedupe_key=f"severity-decided:{request.pk}",
    )
