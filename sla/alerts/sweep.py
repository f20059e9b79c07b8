"""The beat sweep: warn before a deadline and alert at breach, each exactly once.

Exactly once, in one transaction that survives a crash or a second beat:
1. claim: ONE set-based conditional UPDATE ... RETURNING moves a batch of due milestones past
   their alert (healthchecks' sendalerts pattern, for a whole batch); on PostgreSQL the batch is
   picked FOR UPDATE SKIP LOCKED, so two beats claim disjoint rows and a row that a reply or a
   re-target is changing is left for the next tick; only rows this UPDATE changed go on;
2. record: MilestoneAlert rows, unique per (milestone, level), in one INSERT;
3. queue: the alerts' outbox rows, one per reader, with the dedupe key "milestone-alert:<pk>",
   in one INSERT (portal.notify.batch), published a chunk to a broker message on commit.
All three commit together or not at all. Delivery is the outbox's job from there (portal.notify:
it renders and leases each row, retries with backoff, and its beat re-queues what the broker
never got, less often the longer a row waits).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model
from django.utils import timezone

from sla.alerts.emails import alerts_notify
from sla.alerts.models import MilestoneAlert
from sla.clocks.models import Milestone

SWEEP_BATCH = 1000

# The due rows, oldest first: the range the partial index milestone_alert_due serves.
_DUE = (
    "SELECT {id} FROM {table} WHERE {next_alert_at} IS NOT NULL AND {next_alert_at} <= %(now)s "
    "AND {target_at} IS NOT NULL ORDER BY {next_alert_at} LIMIT %(batch)s"
)
# The claim, written once for both databases. SET reads the row as it was; the new next_alert_at
# is what sla.clocks.services.schedule_next_alert gives once warned_at/breached_at are set
# (tests/sla/alerts/test_sweep_batch.py checks the two agree).
_SET = (
    "{breached_at} = CASE WHEN {target_at} <= %(now)s THEN {target_at} ELSE {breached_at} END, "
    # Past the deadline a warning says nothing the breach alert does not: it counts as given.
    "{warned_at} = CASE WHEN {target_at} <= %(now)s THEN COALESCE({warned_at}, %(now)s) ELSE %(now)s END, "
    "{next_alert_at} = CASE WHEN {target_at} <= %(now)s OR {achieved_at} IS NOT NULL "
    "OR {superseded_at} IS NOT NULL OR {paused_at} IS NOT NULL THEN NULL ELSE {target_at} END"
)
_LEVEL = "CASE WHEN {target_at} <= %(now)s THEN %(breach)s ELSE %(warning)s END"
_RETURNING = "RETURNING {table}.{id}, " + _LEVEL
# PostgreSQL: lock the batch, skipping rows another transaction holds; the UPDATE then changes
# exactly the rows this statement locked, still due (the lock re-reads them).
_CLAIM_POSTGRESQL = (
    "WITH due AS (" + _DUE + " FOR UPDATE SKIP LOCKED) "
    "UPDATE {table} SET " + _SET + " FROM due WHERE {table}.{id} = due.{id} " + _RETURNING
)
# SQLite: one writer at a time (the database lock), so the same UPDATE without row locks.
_CLAIM_SQLITE = "UPDATE {table} SET " + _SET + " WHERE {id} IN (" + _DUE + ") " + _RETURNING
# The alert rows of the milestones just claimed (their target_at did not change). sent_at is the
# queued time: the outbox rows are written next, in this transaction. An alert that exists
# already (a claim given back by hand) is skipped here and picked up by the sweep.
_RECORD = (
    "INSERT INTO {alerts} ({alert_milestone}, {alert_level}, {alert_target_at}, {alert_created_at}, "
    "{alert_sent_at}) SELECT {id}, " + _LEVEL + ", {target_at}, %(stamp)s, %(stamp)s FROM {table} "
    "WHERE {ids} ON CONFLICT DO NOTHING RETURNING {alerts}.{alert_id}"
)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column
    return connection.ops.quote_name(field.column)


def _names() -> dict[str, str]:
    names = {
        name: _column(Milestone, name)
        for name in ("id", "target_at", "next_alert_at", "warned_at", "breached_at", "achieved_at",
                     "superseded_at", "paused_at")
    }
    names.update({
        f"alert_{name}": _column(MilestoneAlert, name)
        for name in ("id", "milestone", "level", "target_at", "created_at", "sent_at")
    })
    quote = connection.ops.quote_name
    return {**names, "table": quote(Milestone._meta.db_table), "alerts": quote(MilestoneAlert._meta.db_table)}


def _params(now: datetime) -> dict[str, Any]:
    return {
        "now": connection.ops.adapt_datetimefield_value(now),
        "breach": Milestone.AlertLevel.BREACH.value, "warning": Milestone.AlertLevel.WARNING.value,
    }


def _claim_batch(now: datetime, batch: int) -> dict[int, str]:
    """Moves up to `batch` due milestones past their alert; returns {milestone id: level raised}."""
    template = _CLAIM_POSTGRESQL if connection.vendor == "postgresql" else _CLAIM_SQLITE
    with connection.cursor() as cursor:
        cursor.execute(template.format(**_names()), {**_params(now), "batch": batch})
        return {milestone_id: level for milestone_id, level in cursor.fetchall()}


def _record(now: datetime, raised: dict[int, str]) -> list[int]:
    """Writes the claimed milestones' alert rows; returns the ids of the alerts to queue."""
    params = {**_params(now), "stamp": connection.ops.adapt_datetimefield_value(timezone.now())}
    if connection.vendor == "postgresql":  # one array, not a thousand placeholders to bind
        ids, params["ids"] = "{id} = ANY(%(ids)s)", list(raised)
    else:
        ids = "{id} IN (" + ", ".join(f"%(m{index})s" for index in range(len(raised))) + ")"
        params.update({f"m{index}": pk for index, pk in enumerate(raised)})
    with connection.cursor() as cursor:
        cursor.execute(_RECORD.format(ids=ids.format(**_names()), **_names()), params)
        alert_ids = [pk for (pk,) in cursor.fetchall()]
    if len(alert_ids) < len(raised):
        # Rare: alerts that existed before this claim. Their emails carry the same dedupe key,
        # so queueing them again adds only what is missing.
        existing = [
            (pk, milestone_id) for pk, milestone_id, level in MilestoneAlert.objects.filter(
                milestone_id__in=raised).exclude(pk__in=alert_ids).values_list("pk", "milestone_id", "level")
            if raised[milestone_id] == level
        ]
        MilestoneAlert.objects.filter(pk__in=[pk for pk, _ in existing], sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        alert_ids += [pk for pk, _ in existing]
    return alert_ids


def sweep(now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """One beat tick: one claim, one INSERT of alerts, one of outbox rows, one broker message;
    no business-time arithmetic and no rendering here. Returns how many alerts were raised."""
    now = now or timezone.now()
    with transaction.atomic():
        raised = _claim_batch(now, batch)
        if not raised:
            return 0
        alerts_notify(alert_ids=_record(now, raised))
    return len(raised)
