"""Exactly-once SLA alerts against the real services: two beats at once, a broker that is down when
the alert is recorded, and a real worker delivering an alert's outbox rows.

The sweep writes the claim, the MilestoneAlert and the alert's outbox rows in one transaction; a
worker killed mid-send is the outbox's own business (tests/portal/notify/test_real_services.py).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from portal.notify.models import Notification
from portal.notify.services import PUBLISH_GRACE, notification_requeue_due
from sla.alerts import sweep as alerts
from sla.models import MilestoneAlert
from tests.real_services import port_open, wait_for, worker_process
from tests.sla.due import make_due_milestones

pytestmark = pytest.mark.services


def test_two_beats_sweeping_at_once_raise_each_alert_once_and_queue_each_row_once(postgres_only, contact):
    make_due_milestones(contact.reseller, count=20)
    now = timezone.now()
    barrier = threading.Barrier(2)
    results: list[int] = []

    def beat() -> None:
        try:
            barrier.wait()
            results.append(alerts.sweep(now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 20
    assert MilestoneAlert.objects.count() == 20
    assert MilestoneAlert.objects.filter(sent_at__isnull=False).count() == 20
    # Each breach: the care queue and the one Designated Contact, one row each, under the alert's key.
    rows = Notification.objects.all()
    assert rows.count() == 40
    assert set(rows.values_list("dedupe_key", flat=True)) == {
        f"milestone-alert:{pk}" for pk in MilestoneAlert.objects.values_list("pk", flat=True)
    }
    assert {row.to_email for row in rows} == {settings.CARE_QUEUE_EMAIL, contact.user.email}
    assert rows.filter(status="sent").count() == 40
    staff_alerts = [m for m in mail.outbox if "BREACHED" in m.subject]
    assert len(staff_alerts) == 20 == len({m.subject for m in staff_alerts})
    assert len(mail.outbox) == 40 and all(len(m.to) == 1 for m in mail.outbox)
    assert alerts.sweep(now=now + timedelta(hours=1)) == 0
    assert Notification.objects.count() == 40


def test_two_beats_claiming_small_batches_take_disjoint_rows(postgres_only, contact):
    """FOR UPDATE SKIP LOCKED: each beat locks its own batch; neither waits for nor repeats the other's."""
    milestones = make_due_milestones(contact.reseller, count=90)
    now = timezone.now()
    barrier = threading.Barrier(2)
    claimed: list[list[int]] = [[], []]

    def beat(index: int) -> None:
        try:
            barrier.wait()
            while raised := alerts.sweep(now=now, batch=10):
                claimed[index].append(raised)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=beat, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # A milestone claimed by both would count twice here (its second alert row is skipped).
    assert sum(claimed[0]) + sum(claimed[1]) == 90
    assert sorted(MilestoneAlert.objects.values_list("milestone_id", flat=True)) == sorted(m.pk for m in milestones)
    rows = Notification.objects.all()
    assert rows.count() == 180 == len(set(rows.values_list("dedupe_key", "to_email")))
    assert rows.filter(status="sent").count() == 180
    assert len(mail.outbox) == 180 == len({m.extra_headers["Message-ID"] for m in mail.outbox})


def _sent(count: int):  # type: ignore[no-untyped-def]
    return lambda: Notification.objects.filter(status="sent").count() == count


def test_broker_down_at_commit_loses_nothing_and_delivers_once(own_redis, contact, caplog):
    from celery.contrib.testing.worker import start_worker

    app, command, port = own_redis
    (milestone,) = make_due_milestones(contact.reseller, count=1)
    # The broker is down: the claim, the alert and its rows commit; no worker can be told yet.
    assert alerts.sweep(now=timezone.now()) == 1
    assert "the beat will re-queue them" in caplog.text  # logged, not raised
    assert Notification.objects.filter(status="pending").count() == 2
    assert mail.outbox == []
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: port_open(port), 10)
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
            # Nothing new is due for the sweep; the outbox's beat publishes the waiting rows.
            later = timezone.now() + PUBLISH_GRACE
            assert alerts.sweep(now=later) == 0
            assert notification_requeue_due(now=later) == 2
            assert wait_for(_sent(2))
            assert notification_requeue_due(now=later + timedelta(hours=2)) == 0
            time.sleep(1)  # room for a duplicate to show up, if there were one
    finally:
        server.terminate()
        server.wait(timeout=10)
    subject = f"[{milestone.case.number}] BREACHED: Response target"
    assert [m.subject for m in mail.outbox].count(subject) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([settings.CARE_QUEUE_EMAIL, contact.user.email])


def test_a_real_worker_delivers_an_alerts_rows_exactly_once(own_redis, contact, tmp_path):
    _, command, port = own_redis
    (milestone,) = make_due_milestones(contact.reseller, count=1)
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    assert wait_for(lambda: port_open(port), 10)
    db = connection.settings_dict
    outbox = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": "worker-under-test",
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
                        f"{db['PORT'] or 5432}/{db['NAME']}",
        "PORTAL_VAR_DIR": str(Path(settings.PRIVATE_MEDIA_ROOT).parent / "sla-worker-var"),
        "EMAIL_URL": f"filemail://{outbox}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
    }
    worker = worker_process(env)
    try:
        assert alerts.sweep(now=timezone.now()) == 1  # published on commit, to the live broker
        assert wait_for(_sent(2), 60)
        # A second beat, and the outbox's beat later on, find nothing left to do.
        later = timezone.now() + timedelta(hours=2)
        assert alerts.sweep(now=later) == 0
        assert notification_requeue_due(now=later) == 0
        time.sleep(1)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        server.terminate()
        server.wait(timeout=10)
    written = "".join(path.read_text() for path in outbox.iterdir())
    assert written.count(f"[{milestone.case.number}] BREACHED: Response target") == 1
    assert written.count(f"[{milestone.case.number}] Response target missed") == 1
