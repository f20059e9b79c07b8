"""Uptime credit requests (platform overview): monthly uptime below 99.99 % earns a 10 % credit,
below 99.0 % a 30 % credit; a request is taken only within 30 days after the month concerned
ends."""

from __future__ import annotations

import calendar
import zoneinfo
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.requests.common import (
    RequestEventKind,
    record_status_change,
    require_contact_for_account,
)
from cases.requests.credits.emails import credit_submitted_notify, credit_updated_notify
from cases.requests.credits.models import CreditEvent, UptimeCreditRequest
from portal.access import require_care_staff
from portal.models import CloudService, EndUserAccount, User

REQUEST_WINDOW_DAYS = 30
# (below this uptime %, this credit %), strictest first.
CREDIT_BANDS = ((Decimal("99.0"), Decimal("30")), (Decimal("99.99"), Decimal("10")))
NO_CREDIT = Decimal("0")


def credit_percent_for(uptime: Decimal) -> Decimal:
    """Below 99.0 %: 30; below 99.99 %: 10; else none. Exact Decimal comparison, no float
    rounding."""
    for threshold, credit in CREDIT_BANDS:
        if uptime < threshold:
            return credit
    return NO_CREDIT


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def request_window(month: date) -> tuple[date, date]:
    """First and last day (inclusive) on which a request for the month is accepted."""
    last = month_end(month)
    return last + timedelta(days=1), last + timedelta(days=REQUEST_WINDOW_DAYS)


def _today_for(account: EndUserAccount) -> date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(account.time_zone)).date()


@transaction.atomic
def credit_request_submit(
    *,
    contact: User,
    account: EndUserAccount,
    service: CloudService,
    month: date,
    notes: str = "",
    today: date | None = None,
) -> UptimeCreditRequest:
    """Takes a request for the month (any day of it names the month), in the account's local
    date."""
    membership = require_contact_for_account(contact, account, service)
    month = month.replace(day=1)
    today = today or _today_for(account)
    opens, closes = request_window(month)
    if today < opens:
        raise ValidationError({"month": _("A credit can be requested once the month has ended.")})
    if today > closes:
        raise ValidationError(
            {
                "month": _(
                    "Credit requests are taken within %(days)d days after the month "
                    "ends; the last day for this month was %(date)s."
                )
                % {"days": REQUEST_WINDOW_DAYS, "date": closes.isoformat()}
            }
        )
    if UptimeCreditRequest.objects.filter(account=account, service=service, month=month).exists():
        raise ValidationError(
            {"month": _("A credit was already requested for this service and month.")}
        )
    request = UptimeCreditRequest.objects.create(
        reseller_id=membership.reseller_id,
        requested_by=contact,
        account=account,
        service=service,
        month=month,
        notes=notes.strip(),
    )
    CreditEvent.objects.create(
        request=request,
        kind=RequestEventKind.SUBMITTED,
        actor=contact,
        new_value=str(request.get_status_display()),
    )
    credit_submitted_notify(request=request)
    return request


def _as_uptime(value: Decimal | str) -> Decimal:
    try:
        uptime = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"measured_uptime": _("Enter the uptime as a percentage.")}) from None
    if not uptime.is_finite() or not Decimal("0") <= uptime <= Decimal("100"):
        raise ValidationError({"measured_uptime": _("Uptime is a percentage between 0 and 100.")})
    if uptime != uptime.quantize(Decimal("0.001")):
        raise ValidationError(
            {"measured_uptime": _("Enter the uptime with at most three decimals.")}
        )
    return uptime


@transaction.atomic
def credit_record_uptime(
    *, request: UptimeCreditRequest, actor: User, measured_uptime: Decimal | str
) -> UptimeCreditRequest:
    """Staff enter the measured uptime; the credit follows from the bands."""
    require_care_staff(actor)
    request = UptimeCreditRequest.objects.select_for_update().get(pk=request.pk)
    if request.status in (UptimeCreditRequest.Status.APPROVED, UptimeCreditRequest.Status.REJECTED):
        raise ValidationError(_("This request is decided; its uptime is part of the record."))
    uptime = _as_uptime(measured_uptime)
    request.measured_uptime = uptime
    request.credit_percent = credit_percent_for(uptime)
    request.save(update_fields=["measured_uptime", "credit_percent", "updated_at"])
    CreditEvent.objects.create(
        request=request,
        kind=RequestEventKind.UPTIME,
        actor=actor,
        new_value=f"{uptime} % -> {request.credit_percent} %",
    )
    return request


def update_errors(
    *, request: UptimeCreditRequest, status: str, measured_uptime: Decimal | None
) -> dict[str, list[str]]:
    """The rules for a status change, shared by the service and the admin form."""
    decided = (UptimeCreditRequest.Status.APPROVED, UptimeCreditRequest.Status.REJECTED)
    if request.status in decided and status != request.status:
        return {"status": [_("This request is already decided.")]}
    if status == UptimeCreditRequest.Status.APPROVED and measured_uptime is None:
        return {"status": [_("Enter the measured uptime before approving.")]}
    return {}


@transaction.atomic
def credit_request_update(
    *, request: UptimeCreditRequest, actor: User, status: str, comment: str = ""
) -> CreditEvent | None:
    """A status change and/or comment; emails the reseller's Designated Contacts. Approving needs
    the measured uptime; a decided request stays decided."""
    require_care_staff(actor)
    request = UptimeCreditRequest.objects.select_for_update().get(pk=request.pk)
    errors = update_errors(request=request, status=status, measured_uptime=request.measured_uptime)
    if errors:
        raise ValidationError(errors)
    event = record_status_change(
        request,
        CreditEvent,
        actor=actor,
        status=status,
        comment=comment,
        status_choices=UptimeCreditRequest.Status,
    )
    if event is not None:
        credit_updated_notify(request=request, event=event)
    return event
