"""Portal pages for MAC/D, feature and uptime credit requests. Thin: access comes from portal.access,
writes from cases.macd, cases.features and cases.credits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import credits, features, macd
from cases.forms_requests_b import (
    CreditRequestForm,
    FeatureRequestForm,
    MacdLineFormSet,
    MacdRequestForm,
    RequestCommentForm,
)
from cases.models import FeatureVote, MacdRequest
from portal.access import (
    credit_request_for,
    credit_requests_visible_to,
    feature_for,
    feature_shows_private,
    features_visible_to,
    is_designated_contact,
    macd_request_for,
    macd_requests_visible_to,
    require_designated_contact,
)
from portal.decorators import reseller_required
from portal.models import EndUserAccount


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _submit_form(
    request: HttpRequest, form: forms.Form, submit: Callable[..., Any], success: str, template: str
) -> HttpResponse:
    """Form, service, message, redirect: a refused submission re-shows everything typed (400)."""
    if request.method == "POST" and form.is_valid():
        try:
            item = submit(contact=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(item)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form}, status=status)


def _accounts(request: HttpRequest):  # type: ignore[no-untyped-def]
    return EndUserAccount.objects.visible_to(request.user).prefetch_related("services")


# --- MAC/D -----------------------------------------------------------------------------------------------


@login_required
@reseller_required
@require_GET
def macd_list(request: HttpRequest) -> HttpResponse:
    items = macd_requests_visible_to(request.user).select_related("account", "service")
    return render(request, "requests/macd_list.html", {"items": items})


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def macd_create(request: HttpRequest) -> HttpResponse:
    require_designated_contact(request.user)
    form = MacdRequestForm(request.POST or None, accounts=_accounts(request))
    lines = MacdLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            item = macd.macd_submit(
                contact=request.user, account=form.cleaned_data["account"], service=form.cleaned_data["service"],
                title=form.cleaned_data["title"], lines=[line for line in lines.cleaned_data if line],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if item.route == "csm":
                messages.success(request, _("Your MAC/D request was emailed to the account's Customer Success "
                                            "Manager, %(email)s.") % {"email": item.csm_recipient})
            else:
                messages.success(request, _("Your MAC/D request was sent to Customer Care."))
            return redirect(item)
    status = 400 if request.method == "POST" else 200
    return render(request, "requests/macd_form.html", {"form": form, "lines": lines}, status=status)


def _macd_detail(request: HttpRequest, item: MacdRequest, form: RequestCommentForm | None = None,
                 status: int = 200) -> HttpResponse:
    can_comment = (is_designated_contact(request.user) and item.route == "care"
                   and item.status not in ("completed", "cancelled"))
    return render(request, "requests/macd_detail.html", {
        "item": item, "lines": item.lines.all(), "events": item.events.select_related("actor"),
        "can_comment": can_comment, "form": form or RequestCommentForm(),
    }, status=status)


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
            macd.macd_comment(request=item, contact=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your comment was sent to Customer Care."))
            return redirect(item)
    return _macd_detail(request, item, form, status=400)


# --- Feature requests -------------------------------------------------------------------------------------


@login_required
@reseller_required
@require_GET
def feature_list(request: HttpRequest) -> HttpResponse:
    items = (features_visible_to(request.user).filter(merged_into__isnull=True).select_related("service")
             .annotate(vote_count=Count("votes")).order_by("-vote_count", "-created_at"))
    rows = [(item, feature_shows_private(request.user, item)) for item in items]
    return render(request, "requests/feature_list.html", {"rows": rows})


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def feature_create(request: HttpRequest) -> HttpResponse:
    require_designated_contact(request.user)
    return _submit_form(
        request, FeatureRequestForm(request.POST or None), features.feature_submit,
        _("Your feature request was submitted."), "requests/feature_form.html",
    )


@login_required
@reseller_required
@require_GET
def feature_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = feature_for(request.user, pk)
    private = feature_shows_private(request.user, item)
    return render(request, "requests/feature_detail.html", {
        "item": item, "private": private,
        "events": item.events.select_related("actor") if private else [],
        "vote_count": item.votes.count(),
        "has_voted": FeatureVote.objects.filter(feature=item, voter=request.user).exists(),
        "can_vote": is_designated_contact(request.user) and item.merged_into_id is None,
    })


@login_required
@reseller_required
@require_POST
def feature_vote(request: HttpRequest, pk: int) -> HttpResponse:
    item = feature_for(request.user, pk)  # not visible: 404 before 403
    require_designated_contact(request.user)
    try:
        features.feature_vote(feature=item, contact=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: your vote was counted."))
    return redirect(item)


# --- Uptime credits ---------------------------------------------------------------------------------------


@login_required
@reseller_required
@require_GET
def credit_list(request: HttpRequest) -> HttpResponse:
    items = credit_requests_visible_to(request.user).select_related("account", "service")
    return render(request, "requests/credit_list.html", {"items": items})


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def credit_create(request: HttpRequest) -> HttpResponse:
    require_designated_contact(request.user)
    return _submit_form(
        request, CreditRequestForm(request.POST or None, accounts=_accounts(request)),
        credits.credit_request_submit, _("Your uptime credit request was sent to Customer Care."),
        "requests/credit_form.html",
    )


@login_required
@reseller_required
@require_GET
def credit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = credit_request_for(request.user, pk)
    return render(request, "requests/credit_detail.html", {
        "item": item, "events": item.events.select_related("actor"),
    })
