from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from cases.escalation.services import case_change_severity
from cases.intake import services
from cases.models import Case, CaseEvent, Reply, Severity, Status
from tests.cases.factories import CaseFactory
from tests.portal.factories import EndUserAccountFactory

pytestmark = pytest.mark.django_db


def test_case_create_numbers_the_case_and_starts_severity_at_priority(contact, intake):
    case = services.case_create(contact=contact.user, details={**intake, "priority": Severity.MEDIUM})
    assert case.number == f"CS-{100000 + case.pk}"
    assert case.severity == Severity.MEDIUM
    assert case.status == Status.NEW
    assert case.reseller == contact.reseller
    event = case.events.get()
    assert (event.kind, event.actor) == (CaseEvent.Kind.CREATED, contact.user)


def test_case_numbers_are_unique_and_human_friendly(contact, intake):
    numbers = {services.case_create(contact=contact.user, details=intake).number for _ in range(3)}
    assert len(numbers) == 3
    assert all(number.startswith("CS-1") for number in numbers)


def test_plain_reader_cannot_open_a_case(reader, intake):
    with pytest.raises(PermissionDenied):
        services.case_create(contact=reader.user, details=intake)
    assert not Case.objects.exists()


def test_nominated_but_not_approved_contact_cannot_open_a_case(reader, intake):
    reader.designation = reader.Designation.NOMINATED
    reader.save()
    with pytest.raises(PermissionDenied):
        services.case_create(contact=reader.user, details=intake)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"priority": Severity.CRITICAL}, "priority"),
        ({"users_affected": 0}, "users_affected"),
        ({"first_observed_at": timezone.now() + timedelta(minutes=5)}, "first_observed_at"),
        ({"confirmed_not_third_party": False}, "confirmed_not_third_party"),
    ],
)
def test_case_create_rejects_what_the_contract_forbids(contact, intake, change, field):
    with pytest.raises(ValidationError) as raised:
        services.case_create(contact=contact.user, details={**intake, **change})
    assert field in raised.value.message_dict
    assert not Case.objects.exists()


def test_case_create_refuses_another_resellers_account(contact, other_contact, intake):
    foreign = other_contact.reseller.accounts.get()
    with pytest.raises(ValidationError) as raised:
        services.case_create(contact=contact.user, details={**intake, "account": foreign})
    assert "account" in raised.value.message_dict


def test_case_create_refuses_a_service_the_account_lacks(contact, intake, reseller):
    other_account = EndUserAccountFactory(reseller=reseller)
    with pytest.raises(ValidationError) as raised:
        services.case_create(contact=contact.user, details={**intake, "service": other_account.services.get()})
    assert "service" in raised.value.message_dict


def test_staff_reply_is_public_and_recorded(staff, contact):
    case = CaseFactory(account__reseller=contact.reseller)
    reply = services.case_reply(case=case, author=staff, body="  We are on it.  ")
    assert (reply.body, reply.visibility, reply.from_staff) == ("We are on it.", "public", True)
    assert case.events.get(kind=CaseEvent.Kind.REPLY).reply == reply


def test_internal_note_is_hidden_from_the_reseller_timeline(staff, contact):
    case = CaseFactory(account__reseller=contact.reseller)
    services.case_reply(case=case, author=staff, body="Looks like the SBC.", internal=True)
    event = case.events.get(kind=CaseEvent.Kind.NOTE)
    assert event.internal is True


def test_contact_cannot_write_internal_notes(contact):
    case = CaseFactory(account__reseller=contact.reseller)
    with pytest.raises(PermissionDenied):
        services.case_reply(case=case, author=contact.user, body="secret", internal=True)


def test_database_refuses_an_internal_reply_not_from_staff(contact):
    case = CaseFactory(account__reseller=contact.reseller)
    with pytest.raises(IntegrityError):
        Reply.objects.create(case=case, author=contact.user, body="x", visibility="internal", from_staff=False)


def test_contact_reply_moves_awaiting_case_back_to_in_progress(contact):
    case = CaseFactory(account__reseller=contact.reseller, status=Status.AWAITING_RESELLER)
    services.case_reply(case=case, author=contact.user, body="Here are the logs.")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.events.filter(kind=CaseEvent.Kind.STATUS, new_value=Status.IN_PROGRESS.label).exists()


def test_empty_reply_is_refused(contact):
    case = CaseFactory(account__reseller=contact.reseller)
    with pytest.raises(ValidationError):
        services.case_reply(case=case, author=contact.user, body="   ")


def test_status_severity_and_assignment_changes_leave_history(staff):
    case = CaseFactory()
    services.case_change_status(case=case, actor=staff, status=Status.IN_PROGRESS)
    case_change_severity(case=case, actor=staff, severity=Severity.CRITICAL, reason="Call from Alice")
    services.case_assign(case=case, actor=staff, assignee=staff)
    rows = list(case.events.values_list("kind", "old_value", "new_value", "actor"))
    assert rows == [
        ("status", "New", "In progress", staff.pk),
        ("severity", "2 - High", "1 - Critical", staff.pk),
        ("assigned", "", str(staff), staff.pk),
    ]
    assert case.events.get(kind="severity").detail == "Call from Alice"


def test_unchanged_values_leave_no_history(staff):
    case = CaseFactory()
    services.case_change_status(case=case, actor=staff, status=case.status)
    case_change_severity(case=case, actor=staff, severity=case.severity)
    assert not case.events.exists()


def test_only_staff_change_status_severity_or_assignee(contact):
    case = CaseFactory(account__reseller=contact.reseller)
    for call in (
        lambda: services.case_change_status(case=case, actor=contact.user, status=Status.CLOSED),
        lambda: case_change_severity(case=case, actor=contact.user, severity=1),
        lambda: services.case_assign(case=case, actor=contact.user, assignee=None),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not case.events.exists()


def test_cases_are_assigned_only_to_staff(staff, contact):
    case = CaseFactory(account__reseller=contact.reseller)
    with pytest.raises(ValidationError):
        services.case_assign(case=case, actor=staff, assignee=contact.user)


def test_open_queryset_excludes_resolved_and_closed():
    open_case = CaseFactory(status=Status.RESTORED)
    CaseFactory(status=Status.RESOLVED)
    CaseFactory(status=Status.CLOSED)
    assert list(Case.objects.open()) == [open_case]
