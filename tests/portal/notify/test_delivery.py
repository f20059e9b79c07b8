"""Delivery: one row, one address, under a lease; failures back off; sent is final."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from portal.notify import services
from portal.notify.models import Notification
from portal.notify.services import (
    DELIVERY_LEASE,
    PUBLISH_GRACE,
    notification_deliver,
    notification_queue,
    notification_requeue_due,
)

pytestmark = pytest.mark.django_db

REFUSING = "tests.portal.notify.test_delivery.RefusingBackend"


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that is down; counts what it was asked to send."""

    attempted: list[Any] = []

    def send_messages(self, email_messages: Any) -> int:
        RefusingBackend.attempted.extend(email_messages)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def row(notify_templates, event) -> Notification:  # type: ignore[no-untyped-def]
    # Outside on_commit capture: queued, not published, as if the broker had been down.
    (queued,) = notification_queue(kind="case_received", template=notify_templates,
                                   recipients=["reader@example.test"], context=event)
    return queued


def test_a_sent_row_is_never_sent_again(row):
    assert notification_deliver(notification_id=row.pk) is True
    later = timezone.now() + timedelta(days=1)
    assert notification_deliver(notification_id=row.pk, now=later) is False
    assert notification_requeue_due(now=later) == 0
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.test"]


def test_failing_smtp_backs_off_then_fails_and_keeps_its_message_id(row, settings):
    settings.EMAIL_BACKEND = REFUSING
    settings.NOTIFY_MAX_ATTEMPTS = 4
    RefusingBackend.attempted = []
    now = timezone.now()
    delays = []
    for _ in range(4):
        assert notification_deliver(notification_id=row.pk, now=now) is False
        row.refresh_from_db()
        assert row.claimed_at is None  # the lease is given back at once
        if row.status == "pending":
            delays.append(row.next_attempt_at - now)
            now = row.next_attempt_at
    assert delays == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 4, None)
    assert "SMTPServerDisconnected" in row.last_error
    assert notification_deliver(notification_id=row.pk, now=now + timedelta(hours=1)) is False
    assert len(RefusingBackend.attempted) == 4
    # Every attempt is the same message: the Message-ID made when the row was created.
    assert {m.message()["Message-ID"] for m in RefusingBackend.attempted} == {row.message_id}


def test_backoff_is_capped_at_an_hour():
    assert services._backoff(1) == timedelta(minutes=1)
    assert services._backoff(6) == timedelta(minutes=32)
    assert services._backoff(7) == timedelta(hours=1)  # not 64 minutes
    assert services._backoff(30) == timedelta(hours=1)


def test_sent_message_carries_the_stored_message_id(row):
    notification_deliver(notification_id=row.pk)
    (message,) = mail.outbox
    assert message.message()["Message-ID"] == row.message_id
    assert message.subject == row.subject and message.body == row.body_text
    assert message.alternatives[0][1] == "text/html"


def test_requeue_publishes_due_rows_and_skips_live_leases(row, django_capture_on_commit_callbacks):
    now = timezone.now()
    assert notification_requeue_due(now=now) == 0  # the on-commit publish has its grace period
    # A worker leased the row and died before sending.
    Notification.objects.filter(pk=row.pk).update(claimed_at=now)
    later = now + PUBLISH_GRACE
    assert notification_requeue_due(now=later) == 0  # the lease still holds
    assert mail.outbox == []
    after_lease = now + DELIVERY_LEASE + timedelta(seconds=1)
    # Eager in tests: publishing delivers at once (with the real clock, so make the lease old).
    Notification.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - DELIVERY_LEASE)
    assert notification_requeue_due(now=after_lease) == 1
    row.refresh_from_db()
    assert row.status == "sent"
    assert len(mail.outbox) == 1
    assert notification_requeue_due(now=after_lease + timedelta(hours=2)) == 0


def test_two_deliveries_of_one_row_send_once(row):
    now = timezone.now()
    Notification.objects.filter(pk=row.pk).update(claimed_at=now)  # another worker is sending
    assert notification_deliver(notification_id=row.pk, now=now + timedelta(seconds=5)) is False
    assert mail.outbox == []


def test_broker_error_on_publish_is_logged_not_raised(row, monkeypatch, caplog):
    from portal.notify.tasks import deliver_notification

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(deliver_notification, "apply_async", refuse)
    assert notification_requeue_due(now=timezone.now() + PUBLISH_GRACE) == 0
    assert "the beat will re-queue them" in caplog.text
    row.refresh_from_db()
    assert row.status == "pending"
