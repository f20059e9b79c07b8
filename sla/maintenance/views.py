"""Portal pages for maintenance windows. Thin: access from portal.access, writes from sla.maintenance.services."""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.access import acting_user, is_designated_contact, require_designated_contact
from portal.decorators import reseller_required
from portal.models import EndUserAccount
from portal.tenancy.selectors import account_for
from sla.maintenance import services as maintenance
from sla.maintenance.forms import FeedTokenForm, RescheduleRequestForm
from sla.maintenance.models import MaintenanceFeed, MaintenanceRule
from sla.maintenance.selectors import maintenance_feed_reseller
from sla.models import RescheduleRequest

WINDOWS_PER_ACCOUNT = 6


@login_required
@reseller_required
@require_GET
def maintenance_overview(request: HttpRequest) -> HttpResponse:
    accounts = list(EndUserAccount.objects.visible_to(request.user).prefetch_related("services"))
    windows = maintenance.account_windows(accounts, after=maintenance.current_time(), count=WINDOWS_PER_ACCOUNT)
    by_account = [(account, [w for w in windows if w.account.pk == account.pk]) for account in accounts]
    is_contact = is_designated_contact(request.user)
    reseller = acting_user(request).membership.reseller
    feed = MaintenanceFeed.objects.filter(reseller=reseller).first() if is_contact else None
    feed_url = (request.build_absolute_uri(f"/maintenance/feed/{feed.token}.ics")
                if feed is not None and feed.token else "")
    return render(request, "maintenance/overview.html", {
        "by_account": by_account, "is_contact": is_contact, "feed_url": feed_url,
        "requests": RescheduleRequest.objects.visible_to(request.user).select_related("account", "rule__service")[:20],
        "unplanned": maintenance.unplanned_for_reseller(reseller),
    })


@login_required
@reseller_required
@require_POST
def maintenance_feed_token(request: HttpRequest) -> HttpResponse:
    membership = require_designated_contact(request.user)
    form = FeedTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the calendar address."))
    elif form.cleaned_data["action"] == "revoke":
        maintenance.feed_token_revoke(reseller=membership.reseller, actor=acting_user(request))
        messages.success(request, _("The calendar address is revoked; subscriptions to it stop updating."))
    else:
        maintenance.feed_token_regenerate(reseller=membership.reseller, actor=acting_user(request))
        messages.success(request, _("A new calendar address was made; the previous one no longer works."))
    return redirect("maintenance_overview")


def _occurrence_initial(request: HttpRequest) -> dict[str, object]:
    return {"account": request.GET.get("account"), "rule": request.GET.get("rule"),
            "occurrence_start": request.GET.get("start")}


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def maintenance_reschedule(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    account = account_for(request.user, source.get("account"))  # another reseller's: 404 before 403
    require_designated_contact(request.user)
    if request.method == "GET":
        form = RescheduleRequestForm(initial=_occurrence_initial(request))
        return _render_reschedule(request, account, form)
    form = RescheduleRequestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            maintenance.reschedule_request_create(
                account=account, contact=acting_user(request), rule=data["rule"],
                occurrence_start=data["occurrence_start"],
                proposed_start=data["proposed_start"], proposed_end=data["proposed_end"], reason=data["reason"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields and field not in ("rule", "occurrence_start", "account")
                               else None, errors)
        else:
            messages.success(request, _("Your reschedule request was sent to Customer Care."))
            return redirect("maintenance_overview")
    return _render_reschedule(request, account, form, status=400)


def _render_reschedule(request: HttpRequest, account: EndUserAccount, form: RescheduleRequestForm,
                       status: int = 200) -> HttpResponse:
    """Shows which window is asked about, if the (untrusted) hidden fields name a real one."""
    rule, occurrence = None, None
    try:
        rule = MaintenanceRule.objects.select_related("service").filter(pk=int(form["rule"].value())).first()
        start = datetime.fromtimestamp(int(form["occurrence_start"].value()), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        rule = None
    if rule is not None:
        occurrence = maintenance.planned_occurrence(account=account, rule=rule, start=start)
    return render(request, "maintenance/reschedule.html", {
        "account": account, "form": form, "rule": rule, "occurrence": occurrence,
    }, status=status)


@require_GET
def maintenance_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design (calendar apps cannot sign in): the unguessable token is the credential."""
    reseller = maintenance_feed_reseller(token)
    response = HttpResponse(maintenance.feed_ics(reseller=reseller), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="maintenance.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Content-Type-Options"] = "nosniff"
    return response
