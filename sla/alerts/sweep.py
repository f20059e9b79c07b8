"""The beat sweep: warn before a deadline and alert at breach, each exactly once.

Exactly once, in three steps that each survive a crash or a second beat:
1. claim: a conditional UPDATE on the milestone's stored due time (healthchecks' sendalerts
   pattern); only the sweep whose UPDATE changed the row goes on;
2. record: in the same transaction, a MilestoneAlert row, unique per (milestone, level);
3. deliver: a task leases the alert row, sends, and marks it sent; a lease that expires (worker
   killed mid-task) lets a retry take over, and the sweep re-queues alerts nobody delivered (the
   broker was down at commit time).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from sla.alerts.models import MilestoneAlert
from sla.clocks.models import Milestone
from sla.clocks.services import schedule_next_alert

log = logging.getLogger(__name__)

SWEEP_BATCH = 500
# Longer than CELERY_TASK_TIME_LIMIT, so a live delivery is never taken over mid-send.
DELIVERY_LEASE = timedelta(minutes=3)
REQUEUE_AFTER = timedelta(minutes=2)


def _claim(milestone: Milestone, now: datetime) -> str | None:
    """Moves the milestone past this alert if nobody else has; returns the level raised."""
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


def _enqueue(alert_id: int) -> None:
    from sla.alerts.tasks import deliver_milestone_alert

    try:
        deliver_milestone_alert.delay(alert_id)
    except Exception:  # the broker is down: the next sweep re-queues it from the database
        log.warning("could not queue alert %s; the sweep will retry", alert_id, exc_info=True)


def sweep(now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """One beat tick. One indexed range query; no business-time arithmetic here.

    The batch is claimed in one transaction (one commit, not one per alert); the alert rows are
    written with the claims, and deliveries are queued only once they are committed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Milestone.objects.due_for_alert(now)
            .order_by("next_alert_at")
            .only("id", "next_alert_at", "target_at", "warn_at", "warned_at", "breached_at",
                  "achieved_at", "superseded_at", "paused_at")[:batch]
        )
        raised = []
        for milestone in due:
            level = _claim(milestone, now)
            if level is not None:
                raised.append(MilestoneAlert(milestone_id=milestone.pk, level=level, target_at=milestone.target_at))
        MilestoneAlert.objects.bulk_create(raised, ignore_conflicts=True)
        if raised:
            alert_ids = list(
                MilestoneAlert.objects.filter(milestone_id__in=[a.milestone_id for a in raised], sent_at__isnull=True)
                .values_list("pk", flat=True)
            )
            transaction.on_commit(lambda: [_enqueue(alert_id) for alert_id in alert_ids])
    requeue_undelivered(now)
    return len(raised)


def requeue_undelivered(now: datetime) -> int:
    stale = list(
        MilestoneAlert.objects.filter(sent_at__isnull=True, created_at__lte=now - REQUEUE_AFTER)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - DELIVERY_LEASE))
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for alert_id in stale:
        _enqueue(alert_id)
    return len(stale)


def lease_alert(alert_id: int, now: datetime) -> bool:
    """Only one delivery at a time; an expired lease (killed worker) may be taken over."""
    return bool(
        MilestoneAlert.objects.filter(pk=alert_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - DELIVERY_LEASE))
        .update(claimed_at=now)
    )


def deliver(alert_id: int) -> int:
    from sla.alerts.emails import alert_messages

    now = timezone.now()
    if not lease_alert(alert_id, now):
        return 0
    try:
        alert = MilestoneAlert.objects.select_related(
            "milestone__case__account", "milestone__case__reseller", "milestone__case__assignee",
            "milestone__policy",
        ).get(pk=alert_id)
        sent = 0
        for message in alert_messages(alert):
            sent += message.send()
    except Exception:
        MilestoneAlert.objects.filter(pk=alert_id, claimed_at=now).update(claimed_at=None)
        raise
    MilestoneAlert.objects.filter(pk=alert_id).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
    return sent


