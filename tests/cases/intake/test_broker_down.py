"""Intake with the broker down, against real PostgreSQL and Redis: a contact opens a case and
replies through the real views, both answer 302, the emails wait in the outbox, and once Redis is
back and a worker runs each reader gets each email exactly once."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from cases.models import Case
from portal.notify.models import Notification
from portal.notify.services import PUBLISH_GRACE, notification_requeue_due
from tests.real_services import free_port, port_open, wait_for

pytestmark = pytest.mark.services


@pytest.fixture
def stopped_redis(transactional_db, reference_data, monkeypatch) -> Iterator[tuple[Any, list[str], int]]:  # type: ignore[no-untyped-def]  # noqa: E501
    """A Celery app (the project's broker settings) pointed at a redis-server of this test's own on
    a free port, not started: the broker is down. The test starts it, and stops it by its PID."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI runs it")
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        pytest.skip("needs Redis (set CELERY_BROKER_URL); CI runs it")
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    from celery import Celery

    from portal.celery import app as project_app

    port = free_port()
    app = Celery("intake-under-test")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    # The settings' own timeouts are what is under test, not a test-only policy.
    assert "socket_timeout" in app.conf.broker_transport_options
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{port}/0")
    app.conf.update(broker_url=f"redis://127.0.0.1:{port}/0", task_always_eager=False)
    app.set_current()  # the views run in this thread, so they publish through this app
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no"]
    try:
        yield app, command, port
    finally:
        # start_worker makes its app the process-wide default too; give the project's back.
        project_app.set_current()
        project_app.set_default()


def test_case_and_reply_with_the_broker_down_are_each_sent_once_when_it_is_back(
    stopped_redis, client_for, contact, second_contact, intake_post, caplog
):
    from celery.contrib.testing.worker import start_worker

    app, command, port = stopped_redis
    assert not port_open(port)
    client = client_for(contact.user)

    started = time.monotonic()
    response = client.post("/cases/new/", intake_post)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    response = client.post(f"/cases/{case.number}/reply/", {"body": "Still failing & logs attached."})
    assert response.status_code == 302
    assert time.monotonic() - started < 30  # a refused connection costs little, never a hang
    assert "the beat will re-queue them" in caplog.text  # logged, not raised

    expected = Counter({
        (contact.user.email, "case_received"): 1,
        (second_contact.user.email, "case_received"): 1,
        (settings.CARE_QUEUE_EMAIL, "case_new_for_care"): 1,
        (settings.CARE_QUEUE_EMAIL, "case_contact_reply"): 1,  # unassigned: the queue
    })
    rows = Notification.objects.all()
    assert Counter(rows.values_list("to_email", "kind")) == expected
    assert set(rows.values_list("status", flat=True)) == {"pending"}
    assert mail.outbox == []

    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: port_open(port), 10)
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
            later = timezone.now() + PUBLISH_GRACE
            assert notification_requeue_due(now=later) == len(expected)
            assert wait_for(lambda: Notification.objects.filter(status="sent").count() == len(expected))
            assert notification_requeue_due(now=later + timedelta(hours=2)) == 0  # sent is final
            time.sleep(1)  # room for a duplicate to show up, if there were one
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert all(len(message.to) == 1 for message in mail.outbox)
    subjects = {row.message_id: (row.to_email, row.kind) for row in rows}
    delivered = Counter(subjects[message.extra_headers["Message-ID"]] for message in mail.outbox)
    assert delivered == expected  # each reader, each email, exactly once
    reply = next(m for m in mail.outbox if "Still failing & logs attached." in m.body)
    assert reply.to == [settings.CARE_QUEUE_EMAIL]
