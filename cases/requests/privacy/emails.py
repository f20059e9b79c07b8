"""Who hears about a data privacy request: a new one goes to the Data privacy team only (never the
Care queue: other Care staff may not read data subjects' requests); a new status to the reseller's
Designated Contacts only. Neither email names the data subject. Queued in the service's
transaction, one outbox row per recipient."""

from __future__ import annotations

from cases.requests.privacy.models import DataPrivacyRequest
from portal import access
from portal.notify.services import notification_queue
from portal.tenancy.recipients import designated_contacts, group_members

TEMPLATES = "cases/requests/privacy/emails/"


def privacy_request_received_notify(*, privacy_request: DataPrivacyRequest) -> None:
    notification_queue(
        kind="privacy_request_received", template=f"{TEMPLATES}privacy_request_received",
        recipients=group_members(access.DATA_PRIVACY_GROUP),
        context={"privacy_request": privacy_request}, about=privacy_request,
    )


def privacy_request_updated_notify(*, privacy_request: DataPrivacyRequest) -> None:
    notification_queue(
        kind="privacy_request_updated", template=f"{TEMPLATES}privacy_request_updated",
        recipients=designated_contacts(privacy_request.reseller_id),
        context={"privacy_request": privacy_request}, about=privacy_request,
    )
