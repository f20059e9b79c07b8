"""Queueing in bulk (portal.notify.batch): one row per mailbox, the dedupe key honoured, one
broker message on commit, and each row rendered by its first delivery and kept for every retry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal.notify.batch import QueuedEmail, notification_queue_many
from portal.notify.models import Notification
from portal.notify.rendering import deferred_context_register
from portal.notify.services import notification_deliver
from tests.portal.factories import UserFactory
from tests.portal.notify.test_delivery import REFUSING, RefusingBackend

pytestmark = pytest.mark.django_db

KIND = "bulk_test"


@pytest.fixture
def bulk_kind(notify_templates, event):  # type: ignore[no-untyped-def]
    deferred_context_register(kind=KIND, builder=lambda row: {**event, "title": f"{event['title']} ({row.dedupe_key})"})
    return notify_templates


def _email(template: str, recipients: list, key: str = "batch:1") -> QueuedEmail:  # type: ignore[type-arg]
    return QueuedEmail(kind=KIND, template=template, recipients=recipients, dedupe_key=key)


def test_one_row_per_mailbox_and_a_repeated_key_adds_nothing(bulk_kind, django_capture_on_commit_callbacks):
    greta = UserFactory(username="greta", email="greta@example.test", language="de", time_zone="Australia/Sydney")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = notification_queue_many(emails=[
            _email(bulk_kind, [greta, "GRETA@example.test", "ops@example.test", " "]),
            _email(bulk_kind, ["ops@example.test"], key="batch:2"),
        ])
    assert len(ids) == 3 and len(callbacks) == 1  # one publish for the batch
    rows = Notification.objects.order_by("pk")
    assert [(row.to_email, row.recipient_id, row.language, row.time_zone, row.dedupe_key) for row in rows] == [
        ("greta@example.test", greta.pk, "de", "Australia/Sydney", "batch:1"),
        ("ops@example.test", None, "en", "UTC", "batch:1"),
        ("ops@example.test", None, "en", "UTC", "batch:2"),
    ]
    assert all(row.subject == "" and row.status == "pending" and row.next_attempt_at for row in rows)
    assert notification_queue_many(emails=[_email(bulk_kind, [greta, "new@example.test"])]) == [
        Notification.objects.get(to_email="new@example.test").pk
    ]


def test_a_kind_without_a_deferred_context_is_refused(notify_templates):
    with pytest.raises(ValueError):
        notification_queue_many(emails=[QueuedEmail(kind="unknown", template=notify_templates,
                                                    recipients=["a@example.test"], dedupe_key="k")])


def test_rendered_by_the_first_delivery_and_sent_the_same_on_retry(bulk_kind, settings, event):
    greta = UserFactory(username="greta", email="greta@example.test", language="de", time_zone="Australia/Sydney")
    (row_id,) = notification_queue_many(emails=[_email(bulk_kind, [greta])])
    settings.EMAIL_BACKEND = REFUSING
    RefusingBackend.attempted = []
    now = timezone.now()
    assert notification_deliver(notification_id=row_id, now=now) is False
    row = Notification.objects.get(pk=row_id)
    # Rendered in Greta's language and zone (23:30 UTC is 10:30 the next day in Sydney), and kept.
    assert row.subject == "[C-1001] R&D <lab> is down (batch:1): 2 Dezember 2025, 10:30"
    assert row.attempts == 1 and row.status == "pending"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    event["title"] = "Renamed since"  # what the context builder would read now: not read again
    assert notification_deliver(notification_id=row_id, now=now + timedelta(minutes=1)) is True
    [message] = mail.outbox
    assert message.subject == row.subject == RefusingBackend.attempted[0].subject
    assert message.extra_headers["Message-ID"] == row.message_id


def test_a_row_the_broker_refused_is_tried_again_soon_however_old(bulk_kind, monkeypatch):
    from portal.notify.services import PUBLISH_GRACE, notification_requeue_due
    from portal.notify.tasks import deliver_notification

    (row_id,) = notification_queue_many(emails=[_email(bulk_kind, ["ops@example.test"])])
    later = timezone.now() + timedelta(hours=3)  # long waiting: its next re-publish gap is an hour

    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(deliver_notification, "apply_async", refuse)
    assert notification_requeue_due(now=later) == 0
    assert Notification.objects.get(pk=row_id).next_attempt_at == later + PUBLISH_GRACE
