"""Portal pages for uptime credit requests. Thin: access comes from portal.access, writes from the
services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import UptimeCreditRequest
from cases.requests.common import submit_form
from cases.requests.credits import services
from cases.requests.credits.forms import CreditRequestForm
from cases.requests.credits.selectors import credit_request_for
from portal.access import require_designated_contact
from portal.decorators import reseller_required
from portal.models import EndUserAccount


@login_required
@reseller_required
@require_GET
def credit_list(request: HttpRequest) -> HttpResponse:
    items = UptimeCreditRequest.objects.visible_to(request.user).select_related("account", "service")
    return render(request, "cases/requests/credits/credit_list.html", {"items": items})


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def credit_create(request: HttpRequest) -> HttpResponse:
    require_designated_contact(request.user)
    accounts = EndUserAccount.objects.visible_to(request.user).prefetch_related("services")
    return submit_form(
        request, CreditRequestForm(request.POST or None, accounts=accounts),
        services.credit_request_submit, _("Your uptime credit request was sent to Customer Care."),
        "cases/requests/credits/credit_form.html",
    )


@login_required
@reseller_required
@require_GET
def credit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = credit_request_for(request.user, pk)
    return render(request, "cases/requests/credits/credit_detail.html", {
        "item": item, "events": item.events.select_related("actor"),
    })
