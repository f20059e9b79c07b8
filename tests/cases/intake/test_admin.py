from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail

from cases.models import CaseEvent, Reply, Severity, Status
from tests.cases.factories import CaseFactory, ReplyFactory
from tests.portal.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _change_form(case, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "status": case.status, "severity": case.severity, "assignee": case.assignee_id or "",
        "change_reason": "",
        "replies-TOTAL_FORMS": "1", "replies-INITIAL_FORMS": "0",
        "replies-MIN_NUM_FORMS": "0", "replies-MAX_NUM_FORMS": "1000",
        "replies-0-visibility": "public", "replies-0-body": "",
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
        "milestones-TOTAL_FORMS": "0", "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0", "milestones-MAX_NUM_FORMS": "1000",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0", "events-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def _column_headers(page: str) -> list[str]:
    return re.findall(r'<th scope="col" class="[^"]*column-([\w-]+)[^"]*">', page)


def _row_cells(page: str, field: str) -> list[str]:
    return re.findall(rf'<td class="field-{field}[^"]*">(.*?)</td>', page, re.S)


def test_work_queue_shows_what_care_needs(client_for, staff):
    case = CaseFactory(subject="Queue calls drop", assignee=staff, status=Status.AWAITING_RESELLER)
    page = client_for(staff).get("/admin/cases/case/").content.decode()
    # The columns themselves, not just the words: "2 - High" and "New" also appear in the filters.
    headers = _column_headers(page)
    assert {"number", "subject", "severity", "status", "account", "reseller", "assignee"} <= set(headers)
    assert headers.index("severity") < headers.index("status")
    assert _row_cells(page, "severity") == ["2 - High"]
    assert _row_cells(page, "status") == ["Awaiting reseller"]
    for text in (case.number, "Queue calls drop", str(case.account), str(case.reseller), str(staff)):
        assert text in page


def test_work_queue_filters_and_search(client_for, staff):
    high = CaseFactory(subject="High one", severity=Severity.HIGH)
    low = CaseFactory(subject="Low one", priority=Severity.LOW, severity=Severity.LOW)
    client = client_for(staff)
    page = client.get("/admin/cases/case/", {"severity__exact": Severity.LOW}).content.decode()
    assert low.number in page and high.number not in page
    page = client.get("/admin/cases/case/", {"q": high.number}).content.decode()
    assert high.number in page and low.number not in page


def test_staff_change_page_goes_through_services(client_for, staff, contact, django_capture_on_commit_callbacks):
    # A raise to Critical needs the call on record and a contact reachable at all times.
    case = CaseFactory(account__reseller=contact.reseller, on_call_contact=contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
        f"/admin/cases/case/{case.pk}/change/",
            _change_form(case, status=Status.IN_PROGRESS, severity=Severity.CRITICAL,
                         change_reason="Alice called", assignee=staff.pk, call_caller="Alice",
                         call_at="2026-01-05 09:30", on_call_contact=contact.pk,
                         **{"replies-0-body": "We are on it."}),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert (case.status, case.severity, case.assignee) == (Status.IN_PROGRESS, Severity.CRITICAL, staff)
    kinds = set(case.events.values_list("kind", flat=True))
    assert kinds == {"status", "severity", "assigned", "reply"}
    assert case.events.get(kind="severity").detail == "Alice called"
    reply = case.replies.get()
    assert reply.from_staff and reply.visibility == Reply.Visibility.PUBLIC
    # One message per reader: the contact hears of the severity change and the reply, the queue
    # gets the Critical alert.
    assert all(len(message.to) == 1 for message in mail.outbox)
    subjects = {(message.to[0], message.subject) for message in mail.outbox}
    assert subjects == {
        (contact.user.email, f"[{case.number}] Severity changed to 1 - Critical"),
        (contact.user.email, f"[{case.number}] Customer Care replied: {case.subject}"),
        (settings.CARE_QUEUE_EMAIL, f"CRITICAL [{case.number}] raised to Critical: {case.subject}"),
    }


def test_internal_note_from_admin_is_not_emailed(client_for, staff, contact, django_capture_on_commit_callbacks):
    case = CaseFactory(account__reseller=contact.reseller)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(
            f"/admin/cases/case/{case.pk}/change/",
            _change_form(case, **{"replies-0-body": "Check SBC logs", "replies-0-visibility": "internal"}),
        )
    assert case.replies.get().visibility == "internal"
    assert case.events.get().internal is True
    assert mail.outbox == []


def test_history_and_sent_replies_are_read_only(client_for, staff):
    case = CaseFactory()
    ReplyFactory(case=case, author=staff, body="original")
    CaseEvent.objects.create(case=case, kind="status", old_value="New", new_value="Closed")
    page = client_for(staff).get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert 'name="events-0-new_value"' not in page
    assert 'name="replies-0-body"' not in page  # the sent reply is not editable
    assert 'name="replies-1-body"' in page  # the empty row for a new reply
    assert "original" in page


def test_actions_assign_and_change_status(client_for, staff):
    case = CaseFactory()
    client = client_for(staff)
    client.post("/admin/cases/case/", {"action": "assign_to_me", "_selected_action": [case.pk]})
    client.post("/admin/cases/case/", {"action": "mark_awaiting_reseller", "_selected_action": [case.pk]})
    case.refresh_from_db()
    assert (case.assignee, case.status) == (staff, Status.AWAITING_RESELLER)
    assert list(case.events.values_list("kind", flat=True)) == ["assigned", "status"]


def test_staff_cannot_add_cases_in_admin(client_for, staff):
    assert client_for(staff).get("/admin/cases/case/add/").status_code == 403


def test_staff_see_every_resellers_cases(client_for):
    first, second = CaseFactory(), CaseFactory()
    assert first.reseller != second.reseller
    page = client_for(StaffFactory()).get("/admin/cases/case/").content.decode()
    assert first.number in page and second.number in page
