"""Who hears about an uptime credit request: a new one goes to the Care queue; a status change or
staff comment to the reseller's Designated Contacts. Queued in the service's transaction, one
outbox row per recipient."""

from __future__ import annotations

from cases.requests.common import request_notify
from cases.requests.credits.models import CreditEvent, UptimeCreditRequest
from portal.tenancy.recipients import care_queue, designated_contacts

TEMPLATES = "cases/requests/credits/emails/"


def credit_submitted_notify(*, request: UptimeCreditRequest) -> None:
    request_notify(
        kind="credit_to_care", template=f"{TEMPLATES}credit_to_care", request=request,
        recipients=care_queue(),
    )


def credit_updated_notify(*, request: UptimeCreditRequest, event: CreditEvent) -> None:
    request_notify(
        kind="credit_updated", template=f"{TEMPLATES}credit_updated", request=request,
        event=event, recipients=designated_contacts(request.reseller_id),
    )
