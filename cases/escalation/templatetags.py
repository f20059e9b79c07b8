"""{% escalation_panel %}: the escalation part of the case page, so the case view needs no changes."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from cases.escalation.forms import OnCallForm, SeverityRequestForm
from cases.models import Severity, SeverityRequest

register = template.Library()


@register.inclusion_tag("cases/escalation/_escalation.html", takes_context=True)
def escalation_panel(context: template.Context, case: Any) -> dict[str, Any]:
    can_update = bool(context.get("can_update"))
    pending = case.severity_requests.filter(status=SeverityRequest.Status.PENDING).first()
    return {
        "case": case,
        "can_update": can_update,
        "care_phone": settings.CARE_PHONE,
        "csrf_token": context.get("csrf_token"),
        "is_high": case.severity == Severity.HIGH,
        "is_critical": case.severity == Severity.CRITICAL,
        "pending_request": pending,
        "on_call_form": context.get("on_call_form") or (OnCallForm(case=case) if can_update else None),
        "severity_request_form": context.get("severity_request_form")
        or (SeverityRequestForm(case=case) if can_update else None),
    }
