"""Intake's notifications through the outbox: one message per reader, each to exactly one address."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.db import transaction

from cases.intake import services
from cases.models import Status
from portal.notify.models import Notification
from tests.cases.factories import CaseFactory
from tests.portal.factories import DesignatedContactFactory, MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db

QUEUE = "queue@care.test"


@pytest.fixture(autouse=True)
def addresses(settings):  # type: ignore[no-untyped-def]
    """Tasks run inline (test settings); these make addresses predictable."""
    settings.CARE_QUEUE_EMAIL = QUEUE
    settings.PORTAL_BASE_URL = "https://support.example.test"


def _by_recipient() -> dict[str, mail.EmailMessage]:
    assert all(len(message.to) == 1 for message in mail.outbox), [m.to for m in mail.outbox]
    by_address = {message.to[0]: message for message in mail.outbox}
    assert len(by_address) == len(mail.outbox), "someone got a message twice"
    return by_address


def test_case_received_goes_to_each_designated_contact_and_the_queue(
    contact, second_contact, reader, intake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_create(contact=contact.user, details=intake)
    sent = _by_recipient()
    assert set(sent) == {contact.user.email, second_contact.user.email, QUEUE}
    assert reader.user.email not in sent
    for address in (contact.user.email, second_contact.user.email):
        message = sent[address]
        assert message.subject == f"[{case.number}] Case received: Agents cannot log in"
        assert f"https://support.example.test/cases/{case.number}/" in message.body
        assert "Genesys Cloud CX" in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html" and f"<strong>{case.number}</strong>" in html
    kinds = dict(Notification.objects.values_list("to_email", "kind"))
    assert kinds == {contact.user.email: "case_received", second_contact.user.email: "case_received",
                     QUEUE: "case_new_for_care"}


def test_the_care_queue_gets_the_new_case_with_severity_account_service_and_admin_link(
    contact, intake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_create(contact=contact.user, details=intake)
    alert = _by_recipient()[QUEUE]
    assert alert.subject == f"New case [{case.number}] 2 - High: Agents cannot log in"
    for text in ("Severity: 2 - High", f"End-user account: {case.account}", "Service: Genesys Cloud CX",
                 f"https://support.example.test/admin/cases/case/{case.pk}/change/"):
        assert text in alert.body
    assert f'href="https://support.example.test/admin/cases/case/{case.pk}/change/"' in alert.alternatives[0][0]


def test_nothing_is_sent_before_commit(contact, intake, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.case_create(contact=contact.user, details=intake)
    assert mail.outbox == []
    assert Notification.objects.filter(status="pending").count() == 2  # the contact and the queue
    assert len(callbacks) == 2  # one publish per notification_queue call


def test_nothing_is_queued_when_the_transaction_rolls_back(
    contact, staff, intake, django_capture_on_commit_callbacks
):
    case = CaseFactory(account__reseller=contact.reseller)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            services.case_create(contact=contact.user, details=intake)
            services.case_reply(case=case, author=staff, body="Rolled back")
            services.case_change_status(case=case, actor=staff, status=Status.RESOLVED)
            raise RuntimeError("the request failed after the writes")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_each_reader_gets_their_own_zone_and_language(contact, intake, django_capture_on_commit_callbacks):
    # 23:30 UTC on 1 December 2025: 10:30 on the 2nd in Sydney, 18:30 on the 1st in New York.
    observed = datetime(2025, 12, 1, 23, 30, tzinfo=UTC)
    contact.user.language, contact.user.time_zone = "en", "America/New_York"
    contact.user.save()
    german = DesignatedContactFactory(reseller=contact.reseller, user__username="greta",
                                      user__language="de", user__time_zone="Australia/Sydney")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_create(contact=contact.user, details={**intake, "first_observed_at": observed})
    sent = _by_recipient()
    greta, alice = sent[german.user.email], sent[contact.user.email]
    assert "2. Dezember 2025 10:30 (Australia/Sydney)" in greta.body
    assert "Dec. 1, 2025, 6:30 p.m. (America/New_York)" in alice.body
    assert "2. Dezember 2025 10:30 (Australia/Sydney)" in greta.alternatives[0][0]
    assert "Dezember" not in alice.body and "Australia/Sydney" not in alice.body
    rows = dict(Notification.objects.values_list("to_email", "time_zone"))
    assert rows[german.user.email] == "Australia/Sydney"


def test_subject_and_text_are_not_html_escaped(contact, intake, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_create(contact=contact.user, details={**intake, "subject": "R&D <lab> down"})
    message = _by_recipient()[contact.user.email]
    assert message.subject == f"[{case.number}] Case received: R&D <lab> down"
    assert "Summary: R&D <lab> down" in message.body
    assert "R&amp;D &lt;lab&gt; down" in message.alternatives[0][0]
    assert "&amp;" not in _by_recipient()[QUEUE].subject


def test_staff_public_reply_emails_each_contact_with_the_text(
    staff, contact, second_contact, django_capture_on_commit_callbacks
):
    case = CaseFactory(account__reseller=contact.reseller)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=case, author=staff, body="Please restart the SBC & retry <now>.")
    sent = _by_recipient()
    assert set(sent) == {contact.user.email, second_contact.user.email}
    message = sent[contact.user.email]
    assert "Customer Care replied" in message.subject
    assert "Please restart the SBC & retry <now>." in message.body
    assert "Please restart the SBC &amp; retry &lt;now&gt;." in message.alternatives[0][0]


def test_internal_note_sends_nothing(staff, contact, django_capture_on_commit_callbacks):
    case = CaseFactory(account__reseller=contact.reseller)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=case, author=staff, body="internal", internal=True)
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_contact_reply_goes_to_the_assignee(contact, second_contact, django_capture_on_commit_callbacks):
    engineer = StaffFactory(email="eli@care.test")
    case = CaseFactory(account__reseller=contact.reseller, assignee=engineer)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=case, author=contact.user, body="Logs attached.")
    message = _by_recipient()["eli@care.test"]
    assert set(_by_recipient()) == {"eli@care.test"}  # not the queue, not the other contacts
    assert f"[{case.number}]" in message.subject
    assert f"/admin/cases/case/{case.pk}/change/" in message.body
    assert Notification.objects.get().recipient == engineer  # the engineer's own language and zone


def test_contact_reply_on_unassigned_case_goes_to_the_care_queue(contact, django_capture_on_commit_callbacks):
    case = CaseFactory(account__reseller=contact.reseller)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=case, author=contact.user, body="Any news?")
    assert set(_by_recipient()) == {QUEUE}


def test_revoked_contacts_and_readers_are_not_emailed(
    staff, contact, second_contact, django_capture_on_commit_callbacks
):
    second_contact.designation = second_contact.Designation.REVOKED
    second_contact.save()
    MembershipFactory(reseller=contact.reseller)  # a reader
    case = CaseFactory(account__reseller=contact.reseller)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=case, author=staff, body="Update")
    assert set(_by_recipient()) == {contact.user.email}


@pytest.mark.parametrize(
    ("status", "subject"), [(Status.RESTORED, "Service restored"), (Status.RESOLVED, "Resolved")]
)
def test_restored_and_resolved_tell_each_designated_contact(
    staff, contact, second_contact, reader, status, subject, django_capture_on_commit_callbacks
):
    case = CaseFactory(account__reseller=contact.reseller, status=Status.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_change_status(case=case, actor=staff, status=status)
    sent = _by_recipient()
    assert set(sent) == {contact.user.email, second_contact.user.email}
    message = sent[contact.user.email]
    assert message.subject == f"[{case.number}] {subject}: {case.subject}"
    assert f"https://support.example.test/cases/{case.number}/" in message.body
    assert "(UTC)" in message.body  # the contact's zone (the factory's default) beside the time
    assert Notification.objects.filter(kind=f"case_{status}").count() == 2


@pytest.mark.parametrize("status", [Status.IN_PROGRESS, Status.AWAITING_RESELLER, Status.CLOSED])
def test_other_status_changes_send_nothing(staff, contact, status, django_capture_on_commit_callbacks):
    case = CaseFactory(account__reseller=contact.reseller)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_change_status(case=case, actor=staff, status=status)
    assert mail.outbox == []


def test_each_restoration_is_told_once(
    staff, contact, django_capture_on_commit_callbacks
):
    case = CaseFactory(account__reseller=contact.reseller, status=Status.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_change_status(case=case, actor=staff, status=Status.RESTORED)
        services.case_change_status(case=case, actor=staff, status=Status.RESTORED)  # no change: no email
        services.case_change_status(case=case, actor=staff, status=Status.IN_PROGRESS)
        services.case_change_status(case=case, actor=staff, status=Status.RESTORED)
    assert [message.to for message in mail.outbox] == [[contact.user.email]] * 2
