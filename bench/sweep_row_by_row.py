"""The named alternative of bench/bench_sweep.py: the sweep as it was before the batch claim.

One conditional UPDATE per milestone, the alert rows in one INSERT, then each alert's outbox rows
rendered and written one alert at a time by portal.notify.services.notification_queue (each
published on commit one row to a broker message). Kept here, unchanged in what it does, so the
bench compares both on the same rows in one run.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.notify.services import notification_queue
from portal.tenancy.recipients import care_recipients, designated_contacts
from sla.alerts.emails import (
    ALERT_RELATED,
    RESELLER_KIND,
    RESELLER_TEMPLATE,
    STAFF_KIND,
    STAFF_TEMPLATE,
    alert_dedupe_key,
)
from sla.alerts.models import MilestoneAlert
from sla.clocks.models import Milestone
from sla.clocks.services import schedule_next_alert
from sla.targets.deadlines import describe


def _claim(milestone: Milestone, now: datetime) -> str | None:
    assert milestone.target_at is not None
    level = Milestone.AlertLevel.BREACH if milestone.target_at <= now else Milestone.AlertLevel.WARNING
    updates: dict[str, object] = {}
    if level == Milestone.AlertLevel.BREACH:
        milestone.breached_at = milestone.target_at
        updates["breached_at"] = milestone.target_at
        if milestone.warned_at is None:
            milestone.warned_at = now
            updates["warned_at"] = now
    else:
        milestone.warned_at = now
        updates["warned_at"] = now
    updates["next_alert_at"] = schedule_next_alert(milestone)
    claimed = Milestone.objects.filter(pk=milestone.pk, next_alert_at=milestone.next_alert_at).update(**updates)
    return level if claimed == 1 else None


def _notify(alert: MilestoneAlert) -> None:
    milestone = alert.milestone
    case = milestone.case
    is_breach = alert.level == Milestone.AlertLevel.BREACH
    context = {
        "case": case, "milestone": milestone, "alert": alert, "is_breach": is_breach,
        "target_text": describe(milestone.unit, milestone.amount), "care_phone": settings.CARE_PHONE,
    }
    key = alert_dedupe_key(alert)
    notification_queue(kind=STAFF_KIND, template=STAFF_TEMPLATE, recipients=care_recipients(case.assignee),
                       context=context, about=case, dedupe_key=key)
    if is_breach and milestone.policy.notify_reseller_on_breach:
        notification_queue(kind=RESELLER_KIND, template=RESELLER_TEMPLATE,
                           recipients=designated_contacts(case.reseller_id), context=context, about=case,
                           dedupe_key=key)


def sweep_row_by_row(now: datetime, batch: int) -> int:
    with transaction.atomic():
        due = list(
            Milestone.objects.due_for_alert(now).order_by("next_alert_at")
            .only("id", "next_alert_at", "target_at", "warn_at", "warned_at", "breached_at",
                  "achieved_at", "superseded_at", "paused_at")[:batch]
        )
        raised = {}
        for milestone in due:
            level = _claim(milestone, now)
            if level is not None:
                assert milestone.target_at is not None
                raised[(milestone.pk, level)] = MilestoneAlert(
                    milestone_id=milestone.pk, level=level, target_at=milestone.target_at)
        if not raised:
            return 0
        MilestoneAlert.objects.bulk_create(raised.values(), ignore_conflicts=True)
        alerts = [
            alert for alert in MilestoneAlert.objects.filter(
                milestone_id__in={milestone_id for milestone_id, _level in raised}
            ).select_related(*ALERT_RELATED) if (alert.milestone_id, alert.level) in raised
        ]
        for alert in alerts:
            _notify(alert)
        MilestoneAlert.objects.filter(pk__in=[alert.pk for alert in alerts], sent_at__isnull=True).update(
            sent_at=timezone.now())
    return len(raised)
