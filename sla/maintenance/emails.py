"""Maintenance emails, one outbox row per reader: a reschedule request (to the care queue), its
decision (to the contact who asked) and unplanned maintenance (to one Designated Contact, once
per UnplannedNoticeDelivery). Each is queued in the caller's transaction (portal.notify)."""

from __future__ import annotations

from portal.notify.models import Notification
from portal.notify.services import notification_queue
from portal.tenancy.recipients import care_queue
from sla.maintenance.models import RescheduleRequest, UnplannedNoticeDelivery

TEMPLATES = "sla/maintenance/emails/"


def _request_context(request: RescheduleRequest) -> dict[str, object]:
    return {"request": request, "account": request.account, "service": request.rule.service}


def reschedule_requested_notify(*, request: RescheduleRequest) -> list[Notification]:
    return notification_queue(
        kind="maintenance_reschedule_requested", template=f"{TEMPLATES}maintenance_reschedule_requested",
        recipients=care_queue(), context=_request_context(request), about=request,
    )


def reschedule_decided_notify(*, request: RescheduleRequest) -> list[Notification]:
    """The contact who asked hears the outcome, in their own language and time zone."""
    return notification_queue(
        kind="maintenance_reschedule_decided", template=f"{TEMPLATES}maintenance_reschedule_decided",
        recipients=[request.requested_by], context=_request_context(request), about=request,
    )


def unplanned_notice_notify(*, delivery: UnplannedNoticeDelivery) -> list[Notification]:
    """The delivery row is the exactly-once guard (unique per notice and contact); its outbox row
    is written in the same transaction and named after it, so it is queued once as well."""
    notice = delivery.notice
    # Names, not model instances: `join` in the unescaped plain-text engine wants strings.
    services = [service.name for service in notice.services.all()]
    return notification_queue(
        kind="maintenance_unplanned", template=f"{TEMPLATES}maintenance_unplanned",
        recipients=[delivery.contact],
        context={"notice": notice, "services": services, "reseller": delivery.reseller},
        about=notice, dedupe_key=f"unplanned-notice:{delivery.pk}",
    )
