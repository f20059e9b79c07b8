"""Benchmark the SLA beat sweep on PostgreSQL with a million open milestones.

Run from the project root:  python -m bench.bench_sweep [--milestones 1000000] [--due 1000]

Uses DATABASE_URL if it names PostgreSQL, else postgres://postgres@127.0.0.1:5432/portal_bench
(created if missing). Loads the milestones once with INSERT ... SELECT generate_series, then times:
  - an idle tick: sla.alerts.sweep.sweep when nothing is due (goal: under 50 ms), against the
    named alternative of a naive sweep that reads every unmet milestone and compares its deadline
    in Python, as a sweep without stored due times and a partial index must;
  - a tick with --due milestones due (one batch claim, alert rows, outbox rows, one broker
    message to an in-memory broker on commit; goal: under 300 ms for 1,000), against the named
    alternative bench/sweep_row_by_row.py (one UPDATE per milestone, each alert's rows rendered
    and published one by one), median of a few ticks each on the same rows;
  - an hour of idle beat ticks (sweep + the outbox's requeue, one a minute) while those alerts
    wait undelivered (no worker): how many rows are published again, with the requeue's backoff
    against the fixed two-minute grace it had before.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import timedelta

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"


def _setup_django() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_URL
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ["EMAIL_URL"] = "dummymail://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _load(milestones: int) -> None:
    from django.db import connection

    from cases.models import Case
    from sla.models import Milestone
    from tests.cases.factories import CaseFactory

    if Milestone.objects.count() >= milestones:
        return
    print(f"loading {milestones:,} open milestones (once)...", flush=True)
    Milestone.objects.all().delete()
    Case.objects.all().delete()
    template = CaseFactory()
    from sla.clocks.services import milestones_start

    milestones_start(case=template)
    columns = [f.column for f in Case._meta.concrete_fields
               if f.column not in ("id", "number") and not f.generated]  # the database computes those
    cases_needed = milestones // 3
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO cases_case ({', '.join(columns)}, number) "
            f"SELECT {', '.join(columns)}, 'B-' || g FROM cases_case, generate_series(1, %s) g "
            f"WHERE cases_case.id = %s",
            [cases_needed, template.pk],
        )
        # Each case gets response, restoration and resolution milestones due over the next month.
        cursor.execute(
            """
            INSERT INTO sla_milestone (case_id, kind, policy_id, severity, calendar_id, unit, amount,
                started_at, target_at, warn_at, next_alert_at, created_at, superseded_reason)
            SELECT c.id, k.kind, m.policy_id, m.severity, m.calendar_id, 'business_minutes', 240, now(),
                   now() + interval '1 hour' + random() * interval '30 days',
                   NULL, NULL, now(), ''
            FROM cases_case c
            CROSS JOIN (VALUES ('response'), ('restoration'), ('resolution')) AS k(kind)
            CROSS JOIN (SELECT policy_id, severity, calendar_id FROM sla_milestone LIMIT 1) m
            WHERE c.id <> %s
            """,
            [template.pk],
        )
        cursor.execute("UPDATE sla_milestone SET warn_at = target_at - interval '30 minutes', "
                       "next_alert_at = target_at - interval '30 minutes' WHERE warn_at IS NULL")
        cursor.execute("ANALYZE sla_milestone")
    print(f"loaded {Milestone.objects.count():,} milestones", flush=True)


def _time(func, repeat: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _naive_sweep(now) -> int:  # type: ignore[no-untyped-def]
    from sla.models import Milestone

    due = 0
    for target_at, warn_at, warned_at in Milestone.objects.unmet().values_list(
        "target_at", "warn_at", "warned_at"
    ).iterator(chunk_size=20_000):
        if target_at <= now or (warned_at is None and warn_at is not None and warn_at <= now):
            due += 1
    return due


def _vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run in a transaction
        for table in ("sla_milestone", "sla_milestonealert", "portal_notification"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def _make_due(now, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from sla.models import Milestone

    with transaction.atomic():
        ids = list(Milestone.objects.unmet().filter(next_alert_at__isnull=False)
                   .order_by("id").values_list("id", flat=True)[:count])
        Milestone.objects.filter(id__in=ids).update(
            next_alert_at=now - timedelta(minutes=1), warn_at=now - timedelta(minutes=1))
    _vacuum()
    return ids


def _reset(ids: list[int], now) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from portal.notify.models import Notification
    from sla.models import Milestone, MilestoneAlert

    with transaction.atomic():
        alert_ids = MilestoneAlert.objects.filter(milestone_id__in=ids).values_list("pk", flat=True)
        Notification.objects.filter(dedupe_key__in=[f"milestone-alert:{pk}" for pk in alert_ids]).delete()
        MilestoneAlert.objects.filter(milestone_id__in=ids).delete()
        Milestone.objects.filter(id__in=ids).update(
            warned_at=None, warn_at=now + timedelta(days=1), next_alert_at=now + timedelta(days=1))


def _busy_tick(sweep, due: int, repeat: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    samples, raised = [], 0
    for _ in range(repeat):
        now = timezone.now()
        ids = _make_due(now, due)
        start = time.perf_counter()
        raised = sweep(now=now, batch=due)
        samples.append(time.perf_counter() - start)
        _reset(ids, now)
    return statistics.median(samples), raised


def _idle_hour(due: int) -> tuple[int, int, float]:
    """Raises `due` alerts nobody delivers, then an hour of the outbox's beat ticks; (rows
    re-published, ticks that published anything, total seconds of those ticks). The sweep's own
    idle tick publishes nothing (it is timed above)."""
    from django.utils import timezone

    from portal.notify.models import Notification
    from portal.notify.services import notification_requeue_due
    from sla.alerts import sweep as alerts

    Notification.objects.filter(status="pending").delete()  # earlier runs' rows (a bench database)
    now = timezone.now()
    ids = _make_due(now, due)
    alerts.sweep(now=now, batch=due)
    published = busy_ticks = 0
    spent = 0.0
    for minute in range(1, 61):
        tick = now + timedelta(minutes=minute)
        start = time.perf_counter()
        sent = notification_requeue_due(now=tick)
        spent += time.perf_counter() - start
        published += sent
        busy_ticks += sent > 0
    _reset(ids, now)
    return published, busy_ticks, spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--milestones", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3, help="busy ticks per approach (median)")
    args = parser.parse_args()
    _setup_django()
    _load(args.milestones)

    from django.utils import timezone

    from bench.sweep_row_by_row import sweep_row_by_row
    from portal.celery import app
    from portal.notify import services
    from sla.alerts import sweep as alerts
    from sla.models import Milestone

    app.conf.task_always_eager = False
    now = timezone.now()
    total = Milestone.objects.unmet().count()
    idle = _time(lambda: alerts.sweep(now=now), repeat=25)
    naive = _time(lambda: _naive_sweep(now), repeat=1)
    print(f"open milestones: {total:,}")
    print(f"idle tick (indexed sweep):      {idle * 1000:8.2f} ms   goal < 50 ms: {'met' if idle < 0.05 else 'MISSED'}")
    print(f"idle tick (naive full scan):    {naive * 1000:8.2f} ms   ratio: {naive / idle:,.0f}x slower")

    _busy_tick(alerts.sweep, 10, 1)  # warm up: the broker connection, the task registry, templates
    _busy_tick(sweep_row_by_row, 10, 1)
    busy, raised = _busy_tick(alerts.sweep, args.due, args.repeat)
    old, old_raised = _busy_tick(sweep_row_by_row, args.due, args.repeat)
    assert raised == old_raised == args.due, (raised, old_raised)
    goal = "met" if busy < 0.3 or args.due != 1000 else "MISSED"
    print(f"tick with {args.due:,} due (batch claim):  {busy * 1000:8.2f} ms   goal < 300 ms: {goal} "
          f"(claim, alert rows, outbox rows, one broker message)")
    print(f"tick with {args.due:,} due (row by row):  {old * 1000:8.2f} ms   ratio: {old / busy:,.1f}x slower "
          f"(one UPDATE each, rows rendered and published one by one)")

    published, ticks, spent = _idle_hour(args.due)
    backoff = services._republish_backoff
    services._republish_backoff = lambda now, created_at: services.PUBLISH_GRACE  # type: ignore[assignment]
    try:
        old_published, old_ticks, old_spent = _idle_hour(args.due)
    finally:
        services._republish_backoff = backoff  # type: ignore[assignment]
    print(f"an hour of idle ticks, {args.due:,} alerts undelivered: re-published {published:,} rows in {ticks} "
          f"ticks, {spent * 1000:,.0f} ms in all (with backoff)")
    print(f"  the same with a fixed 2-minute grace:    {old_published:,} rows in {old_ticks} ticks, "
          f"{old_spent * 1000:,.0f} ms in all; ratio {old_published / max(published, 1):,.1f}x the rows")


if __name__ == "__main__":
    main()
