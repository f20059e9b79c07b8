"""The beat sweep: warn before a deadline and alert at breach, each exactly once.

Exactly once, in one transaction that survives a crash or a second beat:
1. claim: a conditional UPDATE on the milestone's stored due time (healthchecks' sendalerts
   pattern); only the sweep whose UPDATE changed the row goes on;
2. record: a MilestoneAlert row, unique per (milestone, level);
3. queue: the alert's outbox rows, one per reader, with the dedupe key "milestone-alert:<pk>".
All three commit together or not at all. Delivery is the outbox's job from there (portal.notify:
it leases each row, retries, and its beat re-queues what the broker never got).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from sla.alerts.emails import milestone_alert_notify
from sla.alerts.models import MilestoneAlert
from sla.clocks.models import Milestone
from sla.clocks.services import schedule_next_alert

log = logging.getLogger(__name__)

SWEEP_BATCH = 500


def _claim(milestone: Milestone, now: datetime) -> str | None:
    """Moves the milestone past this alert if nobody else has; returns the level raised."""
    # Only milestones with a target have an alert due (Milestone.objects.due_for_alert).
    assert milestone.target_at is not None
    level = Milestone.AlertLevel.BREACH if milestone.target_at <= now else Milestone.AlertLevel.WARNING
    updates: dict[str, object] = {}
    if level == Milestone.AlertLevel.BREACH:
        milestone.breached_at = milestone.target_at
        updates["breached_at"] = milestone.target_at
        if milestone.warned_at is None:
            # Past the deadline a warning says nothing the breach alert does not.
            milestone.warned_at = now
            updates["warned_at"] = now
    else:
        milestone.warned_at = now
        updates["warned_at"] = now
    updates["next_alert_at"] = schedule_next_alert(milestone)
    # Conditional on the due time we read: a second sweep, or a reply or re-target that changed
    # the row meanwhile, makes this match nothing (PostgreSQL re-checks it after the row lock).
    claimed = Milestone.objects.filter(pk=milestone.pk, next_alert_at=milestone.next_alert_at).update(**updates)
    return level if claimed == 1 else None


def sweep(now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """One beat tick. One indexed range query; no business-time arithmetic here.

    The batch is claimed in one transaction (one commit, not one per alert), and the alert rows
    and their outbox rows are written with the claims.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Milestone.objects.due_for_alert(now)
            .order_by("next_alert_at")
            .only("id", "next_alert_at", "target_at", "warn_at", "warned_at", "breached_at",
                  "achieved_at", "superseded_at", "paused_at")[:batch]
        )
        raised = {}
        for milestone in due:
            level = _claim(milestone, now)
            if level is not None:
                assert milestone.target_at is not None  # _claim raised an alert for a target
                raised[(milestone.pk, level)] = MilestoneAlert(
                    milestone_id=milestone.pk, level=level, target_at=milestone.target_at
                )
        if not raised:
            return 0
        # ignore_conflicts: the unique (milestone, level) row may exist already (a claim given
        # back by hand); its emails then carry the same dedupe key and are not queued twice.
        MilestoneAlert.objects.bulk_create(raised.values(), ignore_conflicts=True)
        alerts = [
            alert for alert in MilestoneAlert.objects.filter(
                milestone_id__in={milestone_id for milestone_id, _level in raised}
            ).select_related(
                "milestone__case__account", "milestone__case__reseller", "milestone__case__assignee",
                "milestone__policy",
            ) if (alert.milestone_id, alert.level) in raised
        ]
        for alert in alerts:
            milestone_alert_notify(alert=alert)
        # sent_at is the queued time: the outbox rows were written just now, in this transaction.
        MilestoneAlert.objects.filter(pk__in=[alert.pk for alert in alerts], sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
    return len(raised)
