"""MAC/D (Move/Add/Change/Delete) requests. Where one goes is data (MacdRoute per cloud service):
"care" opens a Service Request that Customer Care works in admin; "csm" emails the lines to the
end-user account's Customer Success Manager and records that it did. One transaction per write;
its emails are outbox rows in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.requests.common import (
    RequestEventKind,
    record_status_change,
    require_contact_for_account,
)
from cases.requests.macd.emails import (
    macd_contact_comment_notify,
    macd_submitted_notify,
    macd_updated_notify,
)
from cases.requests.macd.models import MacdEvent, MacdLine, MacdRequest, MacdRoute
from portal.access import require_care_staff, require_designated_contact
from portal.models import CloudService, EndUserAccount, User

MAX_LINES = 50


def macd_route_for(service: CloudService) -> str | None:
    route = MacdRoute.objects.filter(service=service).values_list("route", flat=True).first()
    return route


def _clean_lines(lines: Iterable[Mapping[str, Any]]) -> list[MacdLine]:
    cleaned = []
    for line in lines:
        item = (line.get("item") or "").strip()
        if not item:
            continue
        action = line.get("action")
        if action not in MacdLine.Action.values:
            raise ValidationError(
                {"lines": _("Choose move, add, change or delete for every line.")}
            )
        wanted_by: date | None = line.get("wanted_by")
        if wanted_by is not None and wanted_by < timezone.localdate():
            raise ValidationError({"lines": _("A wanted-by date cannot be in the past.")})
        cleaned.append(
            MacdLine(
                action=action,
                item=item,
                details=(line.get("details") or "").strip(),
                wanted_by=wanted_by,
            )
        )
    if not cleaned:
        raise ValidationError(
            {"lines": _("Add at least one line: what to move, add, change or delete.")}
        )
    if len(cleaned) > MAX_LINES:
        raise ValidationError(
            {"lines": _("At most %(count)d lines per request.") % {"count": MAX_LINES}}
        )
    return cleaned


@transaction.atomic
def macd_submit(
    *,
    contact: User,
    account: EndUserAccount,
    service: CloudService,
    title: str,
    lines: Iterable[Mapping[str, Any]],
) -> MacdRequest:
    """Submits a MAC/D along the service's route: a Care Service Request, or an email to the CSM."""
    membership = require_contact_for_account(contact, account, service)
    if not title.strip():
        raise ValidationError({"title": _("Summarise the request.")})
    route = macd_route_for(service)
    if route is None:
        raise ValidationError(
            {
                "service": _(
                    "MAC/D requests for this service are not taken in the portal; "
                    "please contact Customer Care."
                )
            }
        )
    line_rows = _clean_lines(lines)
    request = MacdRequest(
        reseller_id=membership.reseller_id,
        requested_by=contact,
        account=account,
        service=service,
        title=title.strip(),
        route=route,
    )
    if route == MacdRoute.Route.CSM:
        if not account.csm_email:
            raise ValidationError(
                {
                    "service": _(
                        "This account has no Customer Success Manager on record; "
                        "please contact Customer Care."
                    )
                }
            )
        request.status = MacdRequest.Status.SENT_TO_CSM
        request.csm_recipient = account.csm_email
        request.sent_at = timezone.now()
    request.save()
    for line in line_rows:
        line.request = request
    MacdLine.objects.bulk_create(line_rows)
    MacdEvent.objects.create(
        request=request,
        kind=RequestEventKind.SUBMITTED,
        actor=contact,
        new_value=str(request.get_status_display()),
    )
    if route == MacdRoute.Route.CSM:
        MacdEvent.objects.create(
            request=request,
            kind=RequestEventKind.SENT_TO_CSM,
            actor=contact,
            new_value=request.csm_recipient,
        )
    macd_submitted_notify(request=request)
    return request


@transaction.atomic
def macd_update(
    *, request: MacdRequest, actor: User, status: str, comment: str = ""
) -> MacdEvent | None:
    """Staff work a Care-routed MAC/D like a case: a status change and/or a comment, emailed to the
    reseller's Designated Contacts."""
    require_care_staff(actor)
    request = MacdRequest.objects.select_for_update().get(pk=request.pk)
    if request.route != MacdRoute.Route.CARE:
        raise ValidationError(
            _("This request went to the account's CSM; it is not worked by Customer Care.")
        )
    if status == MacdRequest.Status.SENT_TO_CSM:
        raise ValidationError({"status": _("Choose a valid status.")})
    event = record_status_change(
        request,
        MacdEvent,
        actor=actor,
        status=status,
        comment=comment,
        status_choices=MacdRequest.Status,
    )
    if event is not None:
        macd_updated_notify(request=request, event=event)
    return event


@transaction.atomic
def macd_comment(*, request: MacdRequest, contact: User, body: str) -> MacdEvent:
    """A Designated Contact answers on a Care-routed MAC/D (say, when it awaits the reseller)."""
    membership = require_designated_contact(contact)
    request = MacdRequest.objects.select_for_update().get(pk=request.pk)
    if request.reseller_id != membership.reseller_id:
        raise PermissionDenied("Another reseller's request.")
    if request.route != MacdRoute.Route.CARE:
        raise ValidationError(_("This request went to your CSM by email; answer them there."))
    if request.status in (MacdRequest.Status.COMPLETED, MacdRequest.Status.CANCELLED):
        raise ValidationError(_("This request is closed."))
    if not body.strip():
        raise ValidationError({"body": _("Write your comment.")})
    event = MacdEvent.objects.create(
        request=request, kind=RequestEventKind.COMMENT, actor=contact, body=body.strip()
    )
    request.save(update_fields=["updated_at"])
    macd_contact_comment_notify(request=request, event=event)
    return event
