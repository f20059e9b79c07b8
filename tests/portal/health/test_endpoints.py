"""/healthz answers without the database; /readyz names what is not ready with a 503."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from portal.health.models import Heartbeat
from portal.health.tasks import record_beat_heartbeat
from tests.portal.health.factories import HeartbeatFactory
from tests.portal.notify.factories import NotificationFactory


def test_healthz_answers_without_touching_the_database():
    # No django_db mark: any query here would fail the test ("Database access not allowed").
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_readyz_is_200_when_the_beat_is_fresh_and_the_outbox_is_empty():
    HeartbeatFactory(beat_at=timezone.now() - timedelta(seconds=20))
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    text = response.content.decode()
    for check in ("DatabaseCheck", "BrokerCheck", "BeatHeartbeatCheck", "OutboxBacklogCheck"):
        assert f"{check}(" in text
    assert "Unavailable" not in text


@pytest.mark.django_db
def test_readyz_is_503_naming_a_stale_beat_and_logs_an_error(caplog):
    HeartbeatFactory(beat_at=timezone.now() - timedelta(minutes=3))
    with caplog.at_level(logging.ERROR, logger="portal.health.checks"):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert "beat heartbeat stale: last recorded 180 s ago" in response.content.decode()
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert any("beat heartbeat stale" in record.getMessage() for record in errors)


@pytest.mark.django_db
def test_readyz_is_503_when_the_beat_never_ran():
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert "beat heartbeat never recorded" in response.content.decode()


@pytest.mark.django_db
def test_the_heartbeat_task_makes_readyz_fresh_again():
    HeartbeatFactory(beat_at=timezone.now() - timedelta(hours=1))
    record_beat_heartbeat.delay()  # eager in tests: what a worker does when the beat sends it
    assert timezone.now() - Heartbeat.objects.get().beat_at < timedelta(seconds=5)
    assert Client().get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_is_503_on_an_outbox_backlog_over_the_threshold(settings):
    settings.HEALTH_OUTBOX_MAX_BACKLOG = 2
    HeartbeatFactory()
    old = timezone.now() - timedelta(minutes=5)
    NotificationFactory.create_batch(2, created_at=old)
    NotificationFactory.create_batch(5)  # just queued: not late yet
    NotificationFactory.create_batch(4, created_at=old, status="sent", sent_at=old)
    assert Client().get("/readyz").status_code == 200

    NotificationFactory(created_at=old)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert "outbox backlog: 3 emails pending over a minute (limit 2" in response.content.decode()


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_cannot_be_reached(monkeypatch):
    from portal.celery import app

    HeartbeatFactory()
    # A closed loopback port: the connection is refused at once. Celery reads CELERY_BROKER_URL
    # from the environment before its configuration, so both are pointed there.
    unreachable = "redis://127.0.0.1:1/0"
    monkeypatch.setenv("CELERY_BROKER_URL", unreachable)
    monkeypatch.setitem(app.conf, "broker_url", unreachable)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert "broker unreachable" in response.content.decode()


# transaction=True: with a loop running, Django gives the ORM another connection than the test's.
@pytest.mark.django_db(transaction=True)
def test_readyz_answers_in_a_thread_where_an_event_loop_is_running(monkeypatch):
    # What Playwright's sync API leaves behind in the browser tests' thread (tests/browser/conftest.py
    # allows the ORM there): the library's async view would fail with "You cannot use AsyncToSync
    # in the same thread as an async event loop".
    import asyncio

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    HeartbeatFactory()
    loop = asyncio.new_event_loop()
    asyncio._set_running_loop(loop)
    try:
        response = Client().get("/readyz", headers={"Accept": "application/json"})
    finally:
        connections.close_all()  # the connection made for the loop's context, not the test's
        asyncio._set_running_loop(None)
        loop.close()
    assert response.status_code == 200
    assert response.json()["BeatHeartbeatCheck()"] == "OK"
