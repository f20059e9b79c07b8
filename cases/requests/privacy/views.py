"""The reseller's data privacy requests: the list and the form. Thin: access from portal.access,
writes from the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import DataPrivacyRequest
from cases.requests.common import add_service_errors
from cases.requests.privacy import services
from cases.requests.privacy.forms import PrivacyRequestForm
from portal.access import acting_user, is_designated_contact, require_designated_contact
from portal.decorators import reseller_required
from portal.models import EndUserAccount


@login_required
@reseller_required
@require_GET
def privacy_request_list(request: HttpRequest) -> HttpResponse:
    privacy_requests = DataPrivacyRequest.objects.visible_to(request.user).select_related(
        "account", "requested_by"
    )
    return render(request, "cases/requests/privacy/privacy_list.html", {
        "privacy_requests": privacy_requests, "can_submit": is_designated_contact(request.user),
    })


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def privacy_request_create(request: HttpRequest) -> HttpResponse:
    require_designated_contact(request.user)
    form = PrivacyRequestForm(
        request.POST if request.method == "POST" else None,
        accounts=EndUserAccount.objects.visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            privacy_request = services.privacy_request_create(
                contact=acting_user(request), details=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _(
                "Data privacy request %(reference)s was sent to the Data privacy team."
            ) % {"reference": privacy_request.reference})
            return redirect("privacy_request_list")
    return render(request, "cases/requests/privacy/privacy_form.html", {"form": form})
