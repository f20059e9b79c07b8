"""The "new request" hub and the forms it leads to. Thin: access from portal.access, writes from
cases.requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import requests as request_services
from cases.forms_requests import AdminCaseForm, PrivacyRequestForm, RemoteAccessDecisionForm
from cases.intake.selectors import case_for_update
from cases.models import RemoteAccessRequest
from portal.access import (
    is_designated_contact,
    privacy_requests_visible_to,
    require_designated_contact,
)
from portal.decorators import reseller_required
from portal.models import EndUserAccount

# Pages built elsewhere (MAC/D, feature requests, uptime credits): the hub only links to their paths.
MACD_PATH = "/requests/macd/new/"
FEATURE_REQUEST_PATH = "/requests/features/new/"
UPTIME_CREDIT_PATH = "/requests/uptime-credits/new/"


@login_required
@reseller_required
@require_GET
def request_hub(request: HttpRequest) -> HttpResponse:
    return render(request, "requests/hub.html", {
        "can_submit": is_designated_contact(request.user),
        "macd_path": MACD_PATH, "feature_request_path": FEATURE_REQUEST_PATH,
        "uptime_credit_path": UPTIME_CREDIT_PATH,
    })


@login_required
@reseller_required
@require_GET
def sow_change(request: HttpRequest) -> HttpResponse:
    """Statement of Work changes do not go through Customer Care: this page explains, and opens nothing."""
    return render(request, "requests/sow_change.html")


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def admin_case_create(request: HttpRequest) -> HttpResponse:
    require_designated_contact(request.user)
    accounts = EndUserAccount.objects.visible_to(request.user)
    form = AdminCaseForm(request.POST if request.method == "POST" else None, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        try:
            case = request_services.admin_case_create(contact=request.user, details=form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Admin case %(number)s was submitted.") % {"number": case.number})
            return redirect("case_detail", number=case.number)
    return render(request, "requests/admin_case_form.html", {"form": form})


@login_required
@reseller_required
@require_GET
def privacy_request_list(request: HttpRequest) -> HttpResponse:
    privacy_requests = privacy_requests_visible_to(request.user).select_related("account", "requested_by")
    return render(request, "requests/privacy_list.html", {
        "privacy_requests": privacy_requests, "can_submit": is_designated_contact(request.user),
    })


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def privacy_request_create(request: HttpRequest) -> HttpResponse:
    require_designated_contact(request.user)
    form = PrivacyRequestForm(
        request.POST if request.method == "POST" else None, accounts=EndUserAccount.objects.visible_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            privacy_request = request_services.privacy_request_create(
                contact=request.user, details=form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _(
                "Data privacy request %(reference)s was sent to the Data privacy team."
            ) % {"reference": privacy_request.reference})
            return redirect("privacy_request_list")
    return render(request, "requests/privacy_form.html", {"form": form})


@login_required
@reseller_required
@require_POST
def case_remote_access(request: HttpRequest, number: str) -> HttpResponse:
    """A Designated Contact answers Care's pending remote access request on this case."""
    case = case_for_update(request.user, number)
    form = RemoteAccessDecisionForm(request.POST)
    pending = case.remote_access_requests.filter(status=RemoteAccessRequest.Status.PENDING).first()
    if not form.is_valid() or pending is None:
        messages.error(request, _("There is no remote access request to answer on this case."))
        return redirect("case_detail", number=case.number)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        request_services.remote_access_request_decide(
            access_request=pending, contact=request.user, approve=approve
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Remote access approved for this case.") if approve
                         else _("Remote access refused for this case."))
    return redirect("case_detail", number=case.number)
