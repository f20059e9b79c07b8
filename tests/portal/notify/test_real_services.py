"""The outbox against real PostgreSQL, Redis, Celery workers and an SMTP server: a broker that is
down or frozen at commit time, and a worker killed between two recipients' messages."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from portal.notify.models import Notification
from portal.notify.services import PUBLISH_GRACE, notification_queue, notification_requeue_due
from tests.real_services import free_port, port_open, wait_for, worker_process

pytestmark = pytest.mark.services

READERS = ["first@example.test", "second@example.test"]


def _queue_in_a_request(app: Any, template: str, event: dict[str, Any]) -> list[Notification]:
    """What a view does: queue inside its transaction. Run in a thread so a hang fails the test
    instead of freezing it; returns the rows if no exception escaped."""
    result: list[Any] = []

    def request() -> None:
        app.set_current()  # Celery's current app is per thread
        try:
            with transaction.atomic():
                result.extend(notification_queue(kind="case_received", template=template,
                                                 recipients=READERS, context=event))
        except Exception as error:  # pragma: no cover - the assertion below reports it
            result.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=request)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "queueing hung on the broker"
    assert result and not any(isinstance(item, Exception) for item in result), result
    return result


def _sent_once_each() -> bool:
    return Notification.objects.filter(status="sent").count() == len(READERS)


@pytest.fixture
def redis_broker(postgres_only):  # type: ignore[no-untyped-def]
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        pytest.skip("needs Redis (set CELERY_BROKER_URL); CI runs it")
    from portal.celery import app

    # The settings' own timeouts are what is under test, not a test-only policy.
    assert "socket_timeout" in app.conf.broker_transport_options
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def own_redis(redis_broker, monkeypatch) -> Iterator[tuple[Any, list[str], int]]:  # type: ignore[no-untyped-def]  # noqa: E501
    """A redis-server of this test's own on a free port (not started yet), and a Celery app that
    uses it as the current app, with the project's broker settings."""
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    from celery import Celery

    port = free_port()
    app = Celery("notify-under-test")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{port}/0")
    app.conf.update(broker_url=f"redis://127.0.0.1:{port}/0", task_always_eager=False)
    app.set_current()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no"]
    try:
        yield app, command, port
    finally:
        # start_worker makes its app the process-wide default too; give both back.
        redis_broker.set_current()
        redis_broker.set_default()


def _deliver_with_a_worker(app: Any, later: Any) -> None:
    from celery.contrib.testing.worker import start_worker

    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
        assert notification_requeue_due(now=later) == len(READERS)
        assert wait_for(_sent_once_each)
        assert notification_requeue_due(now=later + timedelta(hours=2)) == 0
        time.sleep(1)  # room for a duplicate to show up, if there were one


def test_broker_down_at_commit_is_delivered_once_when_it_is_back(
    own_redis, notify_templates, event, caplog
):
    app, command, port = own_redis
    rows = _queue_in_a_request(app, notify_templates, event)
    assert "the beat will re-queue them" in caplog.text  # logged, not raised
    assert Notification.objects.filter(pk__in=[r.pk for r in rows], status="pending").count() == 2
    assert mail.outbox == []
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: port_open(port), 10)
        _deliver_with_a_worker(app, timezone.now() + PUBLISH_GRACE)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert sorted(m.to[0] for m in mail.outbox) == READERS


def test_frozen_broker_costs_a_request_the_socket_timeout_not_a_hang(
    own_redis, notify_templates, event, caplog
):
    app, command, port = own_redis
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: port_open(port), 10)
        os.kill(server.pid, signal.SIGSTOP)  # accepts connections (the kernel does), never answers
        try:
            rows = _queue_in_a_request(app, notify_templates, event)
        finally:
            os.kill(server.pid, signal.SIGCONT)
        assert "the beat will re-queue them" in caplog.text
        pending = Notification.objects.filter(pk__in=[r.pk for r in rows], status="pending")
        assert pending.count() == 2
        _deliver_with_a_worker(app, timezone.now() + PUBLISH_GRACE)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert sorted(m.to[0] for m in mail.outbox) == READERS


class _Smtp:
    """Accepts the first reader's message; holds the second until told, then drops it."""

    def __init__(self) -> None:
        self.accepted: list[tuple[str, str]] = []  # (To, Message-ID) the server said 250 to
        self.holding = threading.Event()
        self.release = threading.Event()
        self.held_once = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        from email import message_from_bytes

        message = message_from_bytes(envelope.original_content)
        if message["To"] == READERS[1] and not self.held_once:
            self.held_once = True
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
            return "421 shutting down"
        self.accepted.append((message["To"], message["Message-ID"]))
        return "250 OK"


def test_worker_killed_between_two_readers_sends_each_exactly_once(
    own_redis, notify_templates, event
):
    from aiosmtpd.controller import Controller

    _, command, port = own_redis
    # A fresh Redis: no message left over from another test reaches these workers.
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    assert wait_for(lambda: port_open(port), 10)
    db = connection.settings_dict
    smtp = _Smtp()
    controller = Controller(smtp, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": "worker-under-test",
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
                        f"{db['PORT'] or 5432}/{db['NAME']}",
        "PORTAL_VAR_DIR": str(Path(settings.PRIVATE_MEDIA_ROOT).parent / "notify-worker-var"),
        "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
    }
    first = worker_process(env)
    try:
        with transaction.atomic():
            rows = notification_queue(kind="case_received", template=notify_templates,
                                      recipients=READERS, context=event)
        assert smtp.holding.wait(60), "the worker never reached the second reader"
        first.kill()  # between the SMTP server's 250 for the first and the second's reply
        first.wait(timeout=10)
    finally:
        smtp.release.set()
    by_reader = {row.to_email: Notification.objects.get(pk=row.pk) for row in rows}
    assert by_reader[READERS[0]].status == "sent"
    assert by_reader[READERS[1]].status == "pending"
    assert by_reader[READERS[1]].claimed_at is not None  # the dead worker's lease

    second = worker_process(env)
    try:
        ten_minutes = timedelta(minutes=10)
        # Ten minutes pass. The row is due, but while the dead worker's lease held nobody took it...
        Notification.objects.update(next_attempt_at=F("next_attempt_at") - ten_minutes)
        assert notification_requeue_due(now=timezone.now()) == 0
        # ...once the lease has run out, the beat re-queues it and the fresh worker sends it.
        Notification.objects.update(claimed_at=F("claimed_at") - ten_minutes)
        assert notification_requeue_due(now=timezone.now()) == 1
        assert wait_for(_sent_once_each)
        time.sleep(1)
    finally:
        second.terminate()
        second.wait(timeout=20)
        controller.stop()
        server.terminate()
        server.wait(timeout=10)
    assert sorted(to for to, _ in smtp.accepted) == READERS  # each reader exactly once
    assert {to: mid for to, mid in smtp.accepted} == {
        row.to_email: row.message_id for row in by_reader.values()
    }
