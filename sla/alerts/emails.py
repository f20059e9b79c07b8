"""Who hears about an SLA warning or breach, and what they read: one outbox row per reader.

`sla` never imports `cases`: the case is reached through the milestone's own foreign key and the
readers come from portal.tenancy.recipients. The sweep queues a whole batch of alerts at once
(portal.notify.batch); each row is rendered by the worker that delivers it, from the alert named
by its dedupe key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings

from portal.models import User
from portal.notify.batch import QueuedEmail, notification_queue_many
from portal.notify.models import Notification
from portal.notify.rendering import deferred_context_register
from portal.tenancy.recipients import care_recipients, designated_contacts
from sla.alerts.models import MilestoneAlert
from sla.clocks.models import Milestone
from sla.targets.deadlines import describe

STAFF_KIND = "sla_alert_staff"
RESELLER_KIND = "sla_breach_reseller"
STAFF_TEMPLATE = "sla/alerts/emails/sla_alert_staff"
RESELLER_TEMPLATE = "sla/alerts/emails/sla_breach_reseller"
DEDUPE_PREFIX = "milestone-alert:"
# What rendering an alert reads.
ALERT_RELATED = (
    "milestone__case__account", "milestone__case__reseller", "milestone__case__assignee", "milestone__policy",
)


def alert_dedupe_key(alert: MilestoneAlert) -> str:
    return f"{DEDUPE_PREFIX}{alert.pk}"


def alerts_notify(*, alert_ids: Sequence[int]) -> list[int]:
    """Queues, for each alert, the staff alert (assignee, else the care queue) and, for a breach
    the policy tells the reseller about, a notice to each Designated Contact: one row per reader.

    Called by the sweep inside the transaction that claimed the milestones, so the rows exist
    exactly when the alerts do; the dedupe key makes a second call for the same alert add nothing.
    Returns the ids of the rows written now. Reads one row per alert, whatever the batch size.
    """
    alerts = list(
        MilestoneAlert.objects.filter(pk__in=alert_ids).order_by("pk").values_list(
            "pk", "level", "milestone__case_id", "milestone__case__reseller_id", "milestone__case__assignee_id",
            "milestone__policy__notify_reseller_on_breach",
        )
    )
    assignees = User.objects.in_bulk({assignee_id for *_rest, assignee_id, _tell in alerts if assignee_id})
    case_model = Milestone._meta.get_field("case").related_model  # sla does not import cases
    assert isinstance(case_model, type)
    contacts_of: dict[int, list[User]] = {}
    emails = []
    for alert_pk, level, case_id, reseller_id, assignee_id, tell_reseller in alerts:
        key = f"{DEDUPE_PREFIX}{alert_pk}"
        emails.append(QueuedEmail(
            kind=STAFF_KIND, template=STAFF_TEMPLATE, recipients=care_recipients(assignees.get(assignee_id)),
            dedupe_key=key, about_model=case_model, about_pk=case_id,
        ))
        if level == Milestone.AlertLevel.BREACH and tell_reseller:
            if reseller_id not in contacts_of:  # one query per reseller in the batch
                contacts_of[reseller_id] = designated_contacts(reseller_id)
            emails.append(QueuedEmail(
                kind=RESELLER_KIND, template=RESELLER_TEMPLATE, recipients=contacts_of[reseller_id],
                dedupe_key=key, about_model=case_model, about_pk=case_id,
            ))
    return notification_queue_many(emails=emails)


def milestone_alert_notify(*, alert: MilestoneAlert) -> list[int]:
    """One alert's rows (see alerts_notify)."""
    return alerts_notify(alert_ids=[alert.pk])


def alert_email_context(alert: MilestoneAlert) -> dict[str, Any]:
    milestone = alert.milestone
    return {
        "case": milestone.case, "milestone": milestone, "alert": alert,
        "is_breach": alert.level == Milestone.AlertLevel.BREACH,
        "target_text": describe(milestone.unit, milestone.amount), "care_phone": settings.CARE_PHONE,
    }


def _context_for_row(notification: Notification) -> Mapping[str, Any]:
    alert_pk = int(notification.dedupe_key.removeprefix(DEDUPE_PREFIX))
    alert = MilestoneAlert.objects.select_related(*ALERT_RELATED).get(pk=alert_pk)
    return alert_email_context(alert)


# A registry entry, not logic: the worker delivering an alert's row asks it for the context.
deferred_context_register(kind=STAFF_KIND, builder=_context_for_row)
deferred_context_register(kind=RESELLER_KIND, builder=_context_for_row)
