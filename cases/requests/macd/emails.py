"""Who hears about a MAC/D request, and what they get: a Care-routed one goes to the Care queue, a
CSM-routed one to the account's Customer Success Manager (the address it was routed to); a status
change or staff comment to the reseller's Designated Contacts; a contact's comment to the Care
queue. Each is queued in the service's transaction, one outbox row per recipient."""

from __future__ import annotations

from cases.requests.common import request_notify
from cases.requests.macd.models import MacdEvent, MacdLine, MacdRequest, MacdRoute
from portal.tenancy.recipients import care_queue, designated_contacts

TEMPLATES = "cases/requests/macd/emails/"


def _lines(request: MacdRequest) -> list[MacdLine]:
    return list(request.lines.all())


def macd_submitted_notify(*, request: MacdRequest) -> None:
    """A new request goes where MacdRoute sent it: the CSM address stored on the request (from the
    account's CSM on record), else the Care queue."""
    if request.route == MacdRoute.Route.CSM:
        request_notify(
            kind="macd_to_csm", template=f"{TEMPLATES}macd_to_csm", request=request,
            recipients=[request.csm_recipient], lines=_lines(request),
        )
    else:
        request_notify(
            kind="macd_to_care", template=f"{TEMPLATES}macd_to_care", request=request,
            recipients=care_queue(), lines=_lines(request),
        )


def macd_updated_notify(*, request: MacdRequest, event: MacdEvent) -> None:
    request_notify(
        kind="macd_updated", template=f"{TEMPLATES}macd_updated", request=request, event=event,
        recipients=designated_contacts(request.reseller_id),
    )


def macd_contact_comment_notify(*, request: MacdRequest, event: MacdEvent) -> None:
    request_notify(
        kind="macd_contact_comment", template=f"{TEMPLATES}macd_contact_comment", request=request,
        event=event, recipients=care_queue(),
    )
