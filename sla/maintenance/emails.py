"""Maintenance emails: a reschedule request (to the care queue), its decision (to the reseller's
Designated Contacts) and unplanned maintenance (one per delivery row). Queued on commit; built by a
Celery task from stored rows."""

from __future__ import annotations

import smtplib
from enum import StrEnum

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from portal.emails import build_email


class MaintenanceEmail(StrEnum):
    # The values are the email template names.
    RESCHEDULE_REQUESTED = "maintenance_reschedule_requested"  # object: RescheduleRequest
    RESCHEDULE_DECIDED = "maintenance_reschedule_decided"  # object: RescheduleRequest
    UNPLANNED_NOTICE = "maintenance_unplanned"  # object: UnplannedNoticeDelivery


def queue(kind: MaintenanceEmail, object_id: int) -> None:
    transaction.on_commit(lambda: deliver_maintenance_email.delay(str(kind), object_id))


def build_maintenance_email(kind: MaintenanceEmail, object_id: int) -> EmailMultiAlternatives | None:
    from cases.intake.emails import designated_contact_emails
    from sla.maintenance.models import RescheduleRequest, UnplannedNoticeDelivery

    if kind == MaintenanceEmail.UNPLANNED_NOTICE:
        delivery = UnplannedNoticeDelivery.objects.select_related("notice", "reseller").get(pk=object_id)
        context = {"notice": delivery.notice, "services": list(delivery.notice.services.all()),
                   "reseller": delivery.reseller}
        return build_email(kind.value, context, [delivery.email])
    request = RescheduleRequest.objects.select_related(
        "account__reseller", "rule__service", "requested_by", "decided_by").get(pk=object_id)
    context = {"request": request, "account": request.account, "service": request.rule.service}
    if kind == MaintenanceEmail.RESCHEDULE_REQUESTED:
        to = [settings.CARE_QUEUE_EMAIL]
    else:
        to = designated_contact_emails(request.account.reseller_id)
    return build_email(kind.value, context, to) if to else None


def _deliver_unplanned(delivery_id: int) -> int:
    """Claims the row (conditional UPDATE) before sending, so a re-delivered task sends nothing."""
    from sla.maintenance.models import UnplannedNoticeDelivery

    if not UnplannedNoticeDelivery.objects.filter(pk=delivery_id, sent_at__isnull=True).update(sent_at=timezone.now()):
        return 0
    message = build_maintenance_email(MaintenanceEmail.UNPLANNED_NOTICE, delivery_id)
    try:
        return message.send() if message is not None else 0
    except Exception:
        UnplannedNoticeDelivery.objects.filter(pk=delivery_id).update(sent_at=None)  # let the retry send it
        raise


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def deliver_maintenance_email(kind: str, object_id: int) -> int:
    if MaintenanceEmail(kind) == MaintenanceEmail.UNPLANNED_NOTICE:
        return _deliver_unplanned(object_id)
    message = build_maintenance_email(MaintenanceEmail(kind), object_id)
    return message.send() if message is not None else 0
