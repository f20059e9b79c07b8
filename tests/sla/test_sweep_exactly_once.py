"""Exactly-once alerts against the real services: two beats at once, a worker killed mid-send, and
a broker that is down when the alert is recorded."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, connections
from django.db.models import F
from django.utils import timezone

from sla.alerts import sweep as alerts
from sla.models import MilestoneAlert
from tests.sla.due import make_due_milestones

pytestmark = pytest.mark.services


def _wait_for(predicate, seconds: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_two_beats_sweeping_at_once_raise_each_alert_once(postgres_only, contact):
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
    staff_alerts = [m for m in mail.outbox if "BREACHED" in m.subject]
    assert sorted(m.subject for m in staff_alerts) == sorted({m.subject for m in staff_alerts})
    assert len(staff_alerts) == 20
    assert alerts.sweep(now=now + timedelta(hours=1)) == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), 1).close()
    except OSError:
        return False
    return True


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-mingle", "--without-gossip", "--without-heartbeat"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def worker_env(postgres_only):  # type: ignore[no-untyped-def]
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        pytest.skip("needs Redis (set CELERY_BROKER_URL); CI runs it")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": "worker-under-test",
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "PORTAL_VAR_DIR": str(Path(settings.PRIVATE_MEDIA_ROOT).parent / "worker-var"),
    }
    from portal.celery import app

    app.conf.task_always_eager = False
    app.control.purge()
    yield env
    app.conf.task_always_eager = True


def test_worker_killed_mid_send_delivers_once_after_the_lease(worker_env, contact, tmp_path):
    (milestone,) = make_due_milestones(contact.reseller, count=1)
    now = timezone.now()
    # An SMTP server that accepts and never answers: the first worker hangs inside send().
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    hung = _worker({**worker_env, "EMAIL_URL": f"smtp://127.0.0.1:{silent.getsockname()[1]}"})
    try:
        assert alerts.sweep(now=now) == 1
        alert = MilestoneAlert.objects.get()
        assert _wait_for(lambda: MilestoneAlert.objects.filter(pk=alert.pk, claimed_at__isnull=False).exists())
        hung.kill()  # killed mid-task: leased, never sent
        hung.wait(timeout=10)
    finally:
        silent.close()
    alert.refresh_from_db()
    assert alert.sent_at is None

    outbox = tmp_path / "mail"
    healthy = _worker({**worker_env, "EMAIL_URL": f"filemail://{outbox}"})
    ten_minutes = timedelta(minutes=10)
    try:
        # Ten minutes pass. While the dead worker's lease still held nobody would take over...
        MilestoneAlert.objects.filter(pk=alert.pk).update(created_at=F("created_at") - ten_minutes)
        assert alerts.requeue_undelivered(timezone.now()) == 0
        # ...once it has run out, the sweep re-queues the alert, and the healthy worker sends it once.
        MilestoneAlert.objects.filter(pk=alert.pk).update(claimed_at=F("claimed_at") - ten_minutes)
        assert alerts.requeue_undelivered(timezone.now()) == 1
        assert _wait_for(lambda: MilestoneAlert.objects.filter(pk=alert.pk, sent_at__isnull=False).exists())
        assert alerts.requeue_undelivered(timezone.now() + timedelta(hours=2)) == 0
    finally:
        healthy.terminate()
        healthy.wait(timeout=20)
    written = "".join(path.read_text() for path in outbox.iterdir())
    assert written.count(f"[{milestone.case.number}] BREACHED") == 1


@pytest.fixture
def broker_we_can_stop(postgres_only, monkeypatch):  # type: ignore[no-untyped-def]
    """A Redis of this test's own on a free port, and a Celery app that uses it as the current app."""
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    from celery import Celery

    from portal.celery import app as portal_app

    port = _free_port()
    app = Celery("portal-under-test")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    # Celery reads the CELERY_BROKER_URL environment variable before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{port}/0")
    app.conf.update(
        broker_url=f"redis://127.0.0.1:{port}/0", broker_transport_options={}, task_always_eager=False,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.1},
        broker_connection_retry_on_startup=True,
    )
    app.set_current()
    assert app.conf.broker_url.endswith(f":{port}/0")
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    try:
        yield app, command, port
    finally:
        # start_worker makes its app the process-wide default too; give both back.
        portal_app.set_current()
        portal_app.set_default()


def test_broker_down_at_commit_is_requeued_when_it_is_back(broker_we_can_stop, contact):
    from celery.contrib.testing.worker import start_worker

    app, command, port = broker_we_can_stop
    (milestone,) = make_due_milestones(contact.reseller, count=1)
    now = timezone.now()
    # The broker is down: the claim and the alert row commit, but no worker can be told yet.
    assert alerts.sweep(now=now) == 1
    assert MilestoneAlert.objects.get().sent_at is None
    assert mail.outbox == []
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: _port_open(port), 10)
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
            # Nothing new is due, but the undelivered alert is queued again and sent, once.
            later = timezone.now() + alerts.REQUEUE_AFTER
            assert alerts.sweep(now=later) == 0
            assert _wait_for(lambda: MilestoneAlert.objects.filter(sent_at__isnull=False).exists())
            assert alerts.sweep(now=later + alerts.REQUEUE_AFTER) == 0
            time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert [m.subject for m in mail.outbox].count(f"[{milestone.case.number}] BREACHED: Response target") == 1


def test_database_error_during_delivery_never_sends_twice(postgres_only, contact):
    make_due_milestones(contact.reseller, count=1)
    now = timezone.now()
    from portal.celery import app

    app.conf.task_always_eager = False  # record only; deliver by hand below
    try:
        assert alerts.sweep(now=now) == 1
    finally:
        app.conf.task_always_eager = True
    alert = MilestoneAlert.objects.get()
    # PostgreSQL drops this session (a restart, a failover): the delivery attempt fails before sending.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()
    from django.db import DatabaseError

    with pytest.raises(DatabaseError):
        alerts.deliver(alert.pk)
    connection.close()  # what Celery's Django fixup does between tasks
    assert mail.outbox == []
    assert alerts.deliver(alert.pk) >= 1  # the retry, once the database is back
    assert alerts.deliver(alert.pk) == 0  # and any later duplicate message does nothing
    assert len([m for m in mail.outbox if "BREACHED" in m.subject]) == 1


def test_followup_alert_with_the_broker_down_is_raised_on_the_next_tick(broker_we_can_stop, staff, reseller):
    from celery.contrib.testing.worker import start_worker

    from cases.followups.sweep import sweep_followups
    from cases.models import Severity
    from tests.cases.postmortem_helpers import resolved_case, utc

    app, command, port = broker_we_can_stop
    _, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.HIGH,
                                   resolved_at=utc(2025, 3, 14, 10, 0))
    now = post_mortem.due_at + timedelta(minutes=1)
    assert sweep_followups(now=now) == 1  # claimed, but the broker is down: the claim is given back
    post_mortem.refresh_from_db()
    assert post_mortem.overdue_alerted_at is None and post_mortem.next_alert_at is not None
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: _port_open(port), 10)
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
            assert sweep_followups(now=now) == 1
            assert _wait_for(lambda: any("overdue" in m.subject.lower() or "post-mortem" in m.subject.lower()
                                         for m in mail.outbox))
            assert sweep_followups(now=now + timedelta(hours=1)) == 0
            time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert len(mail.outbox) == 1
