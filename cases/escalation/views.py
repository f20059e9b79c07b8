"""Portal pages for escalation. Thin: access from portal.access, writes from cases.escalation.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.escalation import services as escalation
from cases.escalation.forms import OnCallForm, SeverityRequestForm
from cases.intake.selectors import case_for_update
from cases.intake.views import _detail_with_errors
from portal.access import acting_user
from portal.decorators import reseller_required


@login_required
@reseller_required
@require_POST
def case_critical_call(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for_update(request.user, number)
    try:
        escalation.case_flag_critical_call(case=case, contact=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _(
            "Customer Care sees that you are calling. Call now and quote case number %(number)s."
        ) % {"number": case.number})
    return redirect("case_detail", number=case.number)


@login_required
@reseller_required
@require_POST
def case_on_call(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for_update(request.user, number)
    form = OnCallForm(request.POST, case=case)
    if form.is_valid():
        try:
            escalation.case_name_on_call(
                case=case, actor=acting_user(request), membership=form.cleaned_data["on_call_contact"]
            )
        except ValidationError as error:
            form.add_error("on_call_contact", error.messages)
        else:
            messages.success(request, _("The contact reachable at all times was recorded."))
            return redirect("case_detail", number=case.number)
    return _detail_with_errors(request, case, on_call_form=form)


@login_required
@reseller_required
@require_POST
def case_severity_request(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for_update(request.user, number)
    form = SeverityRequestForm(request.POST, case=case)
    if form.is_valid():
        try:
            escalation.severity_request_create(
                case=case, contact=acting_user(request), severity=form.cleaned_data["severity"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(None if field == "__all__" else field, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("Your request was sent to Customer Care, who decide."))
            return redirect("case_detail", number=case.number)
    return _detail_with_errors(request, case, severity_request_form=form)
