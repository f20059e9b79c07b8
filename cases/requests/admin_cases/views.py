"""The admin case form page. Thin: access from portal.access, the write from the service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.requests.admin_cases import services
from cases.requests.admin_cases.forms import AdminCaseForm
from cases.requests.common import add_service_errors
from portal.access import acting_user, require_designated_contact
from portal.decorators import reseller_required
from portal.models import EndUserAccount


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def admin_case_create(request: HttpRequest) -> HttpResponse:
    require_designated_contact(request.user)
    accounts = EndUserAccount.objects.visible_to(request.user)
    form = AdminCaseForm(request.POST if request.method == "POST" else None, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.admin_case_create(contact=acting_user(request), details=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Admin case %(number)s was submitted.") % {"number": case.number}
            )
            return redirect("case_detail", number=case.number)
    return render(request, "cases/requests/admin_cases/admin_case_form.html", {"form": form})
