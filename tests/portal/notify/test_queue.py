"""Queueing: one row per mailbox, written in the caller's transaction, published only on commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from portal.notify.models import Notification
from portal.notify.rendering import Recipient
from portal.notify.services import notification_queue
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


def _queue(template: str, event: dict, recipients: list, **kwargs) -> list[Notification]:  # type: ignore[type-arg]
    return notification_queue(
        kind="case_received", template=template, recipients=recipients, context=event, **kwargs
    )


def test_one_row_per_mailbox_duplicates_and_blanks_dropped(notify_templates, event):
    alice = UserFactory(username="alice", email="Alice@Example.test")
    nobody = UserFactory(username="nobody", email="")
    rows = _queue(notify_templates, event, [
        alice, "alice@example.test", " ", "", nobody, "csm@example.test",
        Recipient.from_address("CSM@example.test", language="de"),
    ])
    assert [(row.to_email, row.recipient_id) for row in rows] == [
        ("alice@example.test", alice.pk), ("csm@example.test", None),
    ]
    assert Notification.objects.count() == 2
    assert len({row.message_id for row in rows}) == 2
    assert all(row.status == Notification.Status.PENDING for row in rows)


def test_published_only_when_the_callers_transaction_commits(
    notify_templates, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            _queue(notify_templates, event, ["a@example.test", "b@example.test"])
            assert Notification.objects.filter(status="pending").count() == 2
            assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.test", "b@example.test"]
    assert all(len(m.to) == 1 for m in mail.outbox)  # one message per reader, never a shared To
    assert Notification.objects.filter(status="sent").count() == 2


def test_rolled_back_with_the_caller(notify_templates, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                _queue(notify_templates, event, ["a@example.test"])
                raise RuntimeError("the case could not be saved")
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_dedupe_key_queues_an_address_once(
    notify_templates, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue(notify_templates, event, ["a@example.test"], dedupe_key="case:1:received")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = _queue(notify_templates, event, ["A@example.test", "b@example.test"],
                       dedupe_key="case:1:received")
    assert len(callbacks) == 1
    assert [row.to_email for row in again] == ["a@example.test", "b@example.test"]
    assert again[0].pk == first[0].pk
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.test", "b@example.test"]


def test_about_and_attachments_are_stored_and_sent(
    notify_templates, event, django_capture_on_commit_callbacks
):
    user = UserFactory(username="dana")
    ics = {"filename": "window.ics", "content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
           "mimetype": "text/calendar"}
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _queue(notify_templates, event, ["a@example.test"], about=user, attachments=[ics])
    row.refresh_from_db()
    assert row.about == user
    assert row.attachments == [ics]
    (message,) = mail.outbox
    assert message.attachments[0][0] == "window.ics"


def test_no_recipients_queues_nothing(notify_templates, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert _queue(notify_templates, event, ["", "  "]) == []
    assert callbacks == []
