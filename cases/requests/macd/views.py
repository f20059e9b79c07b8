"""Portal pages for MAC/D requests. Thin: access comes from portal.access, writes from the
services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.requests.common import add_service_errors
from cases.requests.macd import services
from cases.requests.macd.forms import MacdLineFormSet, MacdRequestForm, RequestCommentForm
from cases.requests.macd.models import MacdRequest
from cases.requests.macd.selectors import macd_request_for
from portal.access import acting_user, is_designated_contact, require_designated_contact
from portal.decorators import reseller_required
from portal.models import EndUserAccount


@login_required
@reseller_required
@require_GET
def macd_list(request: HttpRequest) -> HttpResponse:
    items = MacdRequest.objects.visible_to(request.user).select_related("account", "service")
    return render(request, "cases/requests/macd/macd_list.html", {"items": items})


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def macd_create(request: HttpRequest) -> HttpResponse:
    require_designated_contact(request.user)
    accounts = EndUserAccount.objects.visible_to(request.user).prefetch_related("services")
    form = MacdRequestForm(request.POST or None, accounts=accounts)
    lines = MacdLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            item = services.macd_submit(
                contact=acting_user(request),
                account=form.cleaned_data["account"],
                service=form.cleaned_data["service"],
                title=form.cleaned_data["title"],
                lines=[line for line in lines.cleaned_data if line],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if item.route == "csm":
                messages.success(
                    request,
                    _(
                        "Your MAC/D request was emailed to the account's Customer Success Manager, "
                        "%(email)s."
                    )
                    % {"email": item.csm_recipient},
                )
            else:
                messages.success(request, _("Your MAC/D request was sent to Customer Care."))
            return redirect(item)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cases/requests/macd/macd_form.html",
        {"form": form, "lines": lines},
        status=status,
    )


def _macd_detail(
    request: HttpRequest,
    item: MacdRequest,
    form: RequestCommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_comment = (
        is_designated_contact(request.user)
        and item.route == "care"
        and item.status not in ("completed", "cancelled")
    )
    return render(
        request,
        "cases/requests/macd/macd_detail.html",
        {
            "item": item,
            "lines": item.lines.all(),
            "events": item.events.select_related("actor"),
            "can_comment": can_comment,
            "form": form or RequestCommentForm(),
        },
        status=status,
    )


@login_required
@reseller_required
@require_GET
def macd_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _macd_detail(request, macd_request_for(request.user, pk))


@login_required
@reseller_required
@require_POST
def macd_comment(request: HttpRequest, pk: int) -> HttpResponse:
    item = macd_request_for(request.user, pk)  # another reseller's: 404 before 403
    require_designated_contact(request.user)
    form = RequestCommentForm(request.POST)
    if form.is_valid():
        try:
            services.macd_comment(
                request=item, contact=acting_user(request), body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your comment was sent to Customer Care."))
            return redirect(item)
    return _macd_detail(request, item, form, status=400)
