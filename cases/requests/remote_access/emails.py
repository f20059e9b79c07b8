"""Who hears about remote access: the ask goes to the case reseller's Designated Contacts, the
answer to the Care engineer who asked (else the Care queue). Queued in the service's transaction,
one outbox row per recipient."""

from __future__ import annotations

from django.conf import settings

from cases.requests.remote_access.models import RemoteAccessRequest
from portal.notify.services import notification_queue
from portal.tenancy.recipients import care_recipients, designated_contacts

TEMPLATES = "cases/requests/remote_access/emails/"


def _context(access_request: RemoteAccessRequest) -> dict[str, object]:
    return {
        "case": access_request.case, "access_request": access_request,
        "care_phone": settings.CARE_PHONE,
    }


def remote_access_requested_notify(*, access_request: RemoteAccessRequest) -> None:
    notification_queue(
        kind="remote_access_requested", template=f"{TEMPLATES}remote_access_requested",
        recipients=designated_contacts(access_request.case.reseller_id),
        context=_context(access_request), about=access_request,
    )


def remote_access_decided_notify(*, access_request: RemoteAccessRequest) -> None:
    notification_queue(
        kind="remote_access_decided", template=f"{TEMPLATES}remote_access_decided",
        recipients=care_recipients(access_request.requested_by),
        context=_context(access_request), about=access_request,
    )
