"""The outbox admin: a read-only list for Care staff and "Retry now"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.notify.models import Notification
from portal.notify.services import notification_queue, notification_retry
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:portal_notification_changelist"


@pytest.fixture
def failed(notify_templates, event) -> Notification:  # type: ignore[no-untyped-def]
    (row,) = notification_queue(kind="case_received", template=notify_templates,
                                recipients=["reader@example.test"], context=event)
    Notification.objects.filter(pk=row.pk).update(
        status="failed", attempts=8, next_attempt_at=None, last_error="SMTPServerDisconnected"
    )
    return row


def test_list_renders_in_a_fixed_number_of_queries(
    failed, notify_templates, event, staff, client_for, django_assert_max_num_queries
):
    notification_queue(kind="case_received", template=notify_templates, context=event,
                       recipients=[f"reader{n}@example.test" for n in range(20)])
    client = client_for(staff)
    # Session, user, the MFA device that verified the session, membership (the admin gate), the
    # page count, the page, and the distinct kinds and languages for the filters: eight, however
    # many rows there are.
    with django_assert_max_num_queries(8):
        response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert b"reader@example.test" in response.content
    assert b"Retry now" in response.content
    assert b"addlink" not in response.content  # no "Add" button


def test_rows_are_read_only(failed, staff, client_for):
    client = client_for(staff)
    url = reverse("admin:portal_notification_change", args=[failed.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b'name="subject"' not in response.content
    delete = reverse("admin:portal_notification_delete", args=[failed.pk])
    assert client.post(delete).status_code == 403
    assert client.get(reverse("admin:portal_notification_add")).status_code == 403


def test_retry_now_requeues_a_failed_row_and_it_is_delivered(
    failed, staff, client_for, django_capture_on_commit_callbacks
):
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(CHANGELIST), {
            "action": "retry_now", "_selected_action": [failed.pk],
        })
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "sent"
    assert [m.to for m in mail.outbox] == [["reader@example.test"]]


def test_retry_leaves_sent_rows_alone(failed, staff, django_capture_on_commit_callbacks):
    Notification.objects.filter(pk=failed.pk).update(status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_retry(notification_ids=[failed.pk], actor=staff) == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notification_retry(notification_ids=[failed.pk], actor=staff) == 0
    assert callbacks == []
    assert len(mail.outbox) == 1


def test_only_staff_may_retry(failed):
    reseller_user = UserFactory(username="rita", is_staff=False)
    with pytest.raises(PermissionDenied):
        notification_retry(notification_ids=[failed.pk], actor=reseller_user)
    failed.refresh_from_db()
    assert failed.status == "failed"
