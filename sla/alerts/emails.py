"""Who hears about an SLA warning or breach, and what they read: one outbox row per reader.

`sla` never imports `cases`: the case is reached through the milestone's own foreign key and the
readers come from portal.tenancy.recipients.
"""

from __future__ import annotations

from django.conf import settings

from portal.notify.models import Notification
from portal.notify.services import notification_queue
from portal.tenancy.recipients import care_recipients, designated_contacts
from sla.alerts.models import MilestoneAlert
from sla.clocks.models import Milestone
from sla.targets.deadlines import describe

STAFF_TEMPLATE = "sla/alerts/emails/sla_alert_staff"
RESELLER_TEMPLATE = "sla/alerts/emails/sla_breach_reseller"


def alert_dedupe_key(alert: MilestoneAlert) -> str:
    return f"milestone-alert:{alert.pk}"


def milestone_alert_notify(*, alert: MilestoneAlert) -> list[Notification]:
    """Queues the staff alert (assignee, else the care queue) and, for a breach the policy tells
    the reseller about, a notice to each Designated Contact. Called by the sweep inside the
    transaction that claimed the milestone, so the rows exist exactly when the alert does; the
    dedupe key makes a second call for the same alert add nothing."""
    milestone = alert.milestone
    case = milestone.case
    is_breach = alert.level == Milestone.AlertLevel.BREACH
    context = {
        "case": case, "milestone": milestone, "alert": alert, "is_breach": is_breach,
        "target_text": describe(milestone.unit, milestone.amount), "care_phone": settings.CARE_PHONE,
    }
    key = alert_dedupe_key(alert)
    rows = notification_queue(
        kind="sla_alert_staff", template=STAFF_TEMPLATE, recipients=care_recipients(case.assignee),
        context=context, about=case, dedupe_key=key,
    )
    if is_breach and milestone.policy.notify_reseller_on_breach:
        rows += notification_queue(
            kind="sla_breach_reseller", template=RESELLER_TEMPLATE,
            recipients=designated_contacts(case.reseller_id), context=context, about=case,
            dedupe_key=key,
        )
    return rows
