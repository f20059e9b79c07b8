"""Remote access consent: Care asks on a case (admin field -> service), the reseller's Designated
Contacts are emailed, one of them approves or refuses for that case only; all on the timeline."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.models import CaseEvent, RemoteAccessRequest, Status
from cases.requests.remote_access import services as request_services
from tests.cases.factories import CaseFactory
from tests.cases.requests.helpers import mailed_to
from tests.portal.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(account, contact):  # type: ignore[no-untyped-def]
    return CaseFactory(account=account, opened_by=contact.user)


@pytest.fixture
def pending(case, staff, contact, second_contact, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        return request_services.remote_access_request_create(
            case=case, actor=staff, reason="Need to see the IVR flow."
        )


def test_asking_records_the_timeline_and_emails_the_designated_contacts(
    pending, case, contact, second_contact
):
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.REMOTE_ACCESS)
    assert (event.new_value, event.detail, event.internal) == (
        "Requested",
        "Need to see the IVR flow.",
        False,
    )
    # One message per Designated Contact.
    assert sorted(mailed_to()) == sorted([contact.user.email, second_contact.user.email])
    for message in mail.outbox:
        assert case.number in message.subject and "remote access" in message.subject
        assert "Need to see the IVR flow." in message.body
        assert reverse("case_detail", args=[case.number]) in message.alternatives[0][0]


def test_staff_ask_from_the_admin_case_page(
    client_for, staff, case, contact, django_capture_on_commit_callbacks
):
    url = reverse("admin:cases_case_change", args=[case.pk])
    page = client_for(staff).get(url)
    assert page.status_code == 200 and "remote_access_reason" in page.content.decode()
    form = {
        "status": case.status,
        "severity": case.severity,
        "assignee": "",
        "change_reason": "",
        "remote_access_reason": "Check the routing config.",
        "replies-TOTAL_FORMS": 0,
        "replies-INITIAL_FORMS": 0,
        "milestones-TOTAL_FORMS": 0,
        "milestones-INITIAL_FORMS": 0,
        "attachments-TOTAL_FORMS": 0,
        "attachments-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    item = RemoteAccessRequest.objects.get(case=case)
    assert item.reason == "Check the routing config." and item.requested_by == staff
    assert mailed_to() == [contact.user.email]


@pytest.mark.parametrize(
    ("decision", "status", "label"),
    [("approve", "approved", "Approved"), ("refuse", "refused", "Refused")],
)
def test_contact_approves_or_refuses_on_the_case_page(
    decision,
    status,
    label,
    client_for,
    contact,
    pending,
    case,
    staff,
    django_capture_on_commit_callbacks,
):
    client = client_for(contact.user)
    detail = reverse("case_detail", args=[case.number])
    answer = reverse("case_remote_access", args=[case.number])
    page = client.get(detail).content.decode()
    assert "Need to see the IVR flow." in page and answer in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(answer, {"decision": decision})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (status, contact.user)
    event = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.REMOTE_ACCESS).last()
    assert (event.actor, event.new_value) == (contact.user, label)
    assert mailed_to() == [staff.email]  # the engineer who asked
    assert label in mail.outbox[0].subject
    timeline = client.get(detail).content.decode()
    assert label in timeline and "Remote access" in timeline


def test_the_answer_applies_to_that_case_only(client_for, contact, pending, account, staff):
    other_case = CaseFactory(account=account, opened_by=contact.user)
    client = client_for(contact.user)
    client.post(f"/cases/{other_case.number}/remote-access/", {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.status == RemoteAccessRequest.Status.PENDING
    assert not other_case.remote_access_requests.exists()


def test_reader_cannot_answer_and_sees_no_buttons(client_for, reader, pending, case):
    client = client_for(reader.user)
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "Need to see the IVR flow." in page
    assert f"/cases/{case.number}/remote-access/" not in page
    assert (
        client.post(f"/cases/{case.number}/remote-access/", {"decision": "approve"}).status_code
        == 403
    )
    pending.refresh_from_db()
    assert pending.status == RemoteAccessRequest.Status.PENDING


def test_other_reseller_gets_a_404(client_for, other_contact, pending, case):
    response = client_for(other_contact.user).post(
        f"/cases/{case.number}/remote-access/", {"decision": "approve"}
    )
    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == RemoteAccessRequest.Status.PENDING
    with pytest.raises(PermissionDenied):
        request_services.remote_access_request_decide(
            access_request=pending, contact=other_contact.user, approve=True
        )


def test_rules(case, staff, contact, pending):
    with pytest.raises(PermissionDenied):
        request_services.remote_access_request_create(case=case, actor=contact.user, reason="x")
    with pytest.raises(ValidationError):  # one pending request at a time
        request_services.remote_access_request_create(case=case, actor=staff, reason="Again")
    request_services.remote_access_request_decide(
        access_request=pending, contact=contact.user, approve=False
    )
    with pytest.raises(ValidationError):  # already answered
        request_services.remote_access_request_decide(
            access_request=pending, contact=contact.user, approve=True
        )
    with pytest.raises(ValidationError):
        request_services.remote_access_request_create(case=case, actor=staff, reason=" ")
    case.status = Status.CLOSED
    case.save()
    with pytest.raises(ValidationError):
        request_services.remote_access_request_create(
            case=case, actor=staff, reason="After closing"
        )


def test_the_answer_goes_to_the_care_queue_when_the_engineer_has_no_address(
    case, contact, django_capture_on_commit_callbacks
):
    engineer = StaffFactory(username="noaddress", email="")
    with django_capture_on_commit_callbacks(execute=True):
        access_request = request_services.remote_access_request_create(
            case=case, actor=engineer, reason="Need to see the IVR flow."
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_services.remote_access_request_decide(
            access_request=access_request, contact=contact.user, approve=True
        )
    assert mailed_to() == [settings.CARE_QUEUE_EMAIL]
    assert reverse("admin:cases_case_change", args=[case.pk]) in mail.outbox[0].body
