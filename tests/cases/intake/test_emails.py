from __future__ import annotations

import pytest
from django.core import mail

from cases.intake import services
from tests.cases.factories import CaseFactory
from tests.portal.factories import MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager(settings):  # type: ignore[no-untyped-def]
    """Tasks run inline (test settings); these make addresses predictable."""
    settings.CARE_QUEUE_EMAIL = "queue@care.test"
    settings.PORTAL_BASE_URL = "https://support.example.test"


def test_case_received_goes_to_the_designated_contacts_only(
    eager, contact, second_contact, reader, intake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_create(contact=contact.user, details=intake)
    message = mail.outbox[-1]
    assert sorted(message.to) == sorted([contact.user.email, second_contact.user.email])
    assert reader.user.email not in message.to
    assert message.subject == f"[{case.number}] Case received: Agents cannot log in"
    assert f"https://support.example.test/cases/{case.number}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f"<strong>{case.number}</strong>" in html
    assert "Genesys Cloud CX" in message.body


def test_no_email_before_commit(eager, contact, intake, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.case_create(contact=contact.user, details=intake)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_staff_public_reply_emails_contacts_with_the_text(
    eager, staff, contact, django_capture_on_commit_callbacks
):
    case = CaseFactory(account__reseller=contact.reseller)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=case, author=staff, body="Please restart the SBC & retry <now>.")
    message = mail.outbox[-1]
    assert message.to == [contact.user.email]
    assert "Customer Care replied" in message.subject
    assert "Please restart the SBC & retry <now>." in message.body
    assert "Please restart the SBC &amp; retry &lt;now&gt;." in message.alternatives[0][0]


def test_internal_note_sends_nothing(eager, staff, contact, django_capture_on_commit_callbacks):
    case = CaseFactory(account__reseller=contact.reseller)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=case, author=staff, body="internal", internal=True)
    assert mail.outbox == []


def test_contact_reply_goes_to_the_assignee(eager, contact, django_capture_on_commit_callbacks):
    engineer = StaffFactory(email="eli@care.test")
    case = CaseFactory(account__reseller=contact.reseller, assignee=engineer)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=case, author=contact.user, body="Logs attached.")
    message = mail.outbox[-1]
    assert message.to == ["eli@care.test"]
    assert f"[{case.number}]" in message.subject
    assert f"/admin/cases/case/{case.pk}/change/" in message.body


def test_contact_reply_on_unassigned_case_goes_to_the_care_queue(
    eager, contact, django_capture_on_commit_callbacks
):
    case = CaseFactory(account__reseller=contact.reseller)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=case, author=contact.user, body="Any news?")
    assert mail.outbox[-1].to == ["queue@care.test"]


def test_revoked_contacts_are_not_emailed(eager, staff, contact, second_contact, django_capture_on_commit_callbacks):
    second_contact.designation = second_contact.Designation.REVOKED
    second_contact.save()
    MembershipFactory(reseller=contact.reseller)  # a reader
    case = CaseFactory(account__reseller=contact.reseller)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=case, author=staff, body="Update")
    assert mail.outbox[-1].to == [contact.user.email]
