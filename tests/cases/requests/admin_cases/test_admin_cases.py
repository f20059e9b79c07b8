"""Admin cases (access, licensing, account administration): a short form, response in 2 business
days through the SLA engine's admin-cases policy, shown with their kind in the case list, detail
and queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Case, CaseEvent, CaseKind
from cases.requests.admin_cases import services as request_services
from sla.clocks.services import policy_for_case
from sla.models import Milestone, MilestoneKind, TargetUnit
from sla.targets.calendars import business_calendar, calendar_for_account
from sla.targets.deadlines import deadline
from tests.cases.factories import CaseFactory
from tests.sla.factories import RoundTheClockCalendarFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_details(account):  # type: ignore[no-untyped-def]
    return {
        "account": account,
        "service": account.services.first(),
        "topic": "licensing",
        "subject": "Five more agent licences",
        "description": "Please add 5 Genesys Cloud CX licences.",
    }


def test_admin_case_response_is_two_business_days_via_admin_cases_policy(contact, admin_details):
    case = request_services.admin_case_create(contact=contact.user, details=admin_details)
    assert case.kind == CaseKind.ADMIN
    response = Milestone.objects.get(case=case, kind=MilestoneKind.RESPONSE)
    assert response.policy.code == "admin-cases"
    assert (response.unit, response.amount) == (TargetUnit.BUSINESS_DAYS, 2)
    hours = business_calendar(calendar_for_account(case.account))
    assert response.target_at == deadline(hours, case.created_at, TargetUnit.BUSINESS_DAYS, 2)
    # No restoration or resolution target for admin cases.
    others = Milestone.objects.filter(case=case).exclude(kind=MilestoneKind.RESPONSE)
    assert all(milestone.target_at is None for milestone in others)


def test_admin_case_on_a_round_the_clock_calendar_is_due_48_hours_later(contact, admin_details):
    calendar = RoundTheClockCalendarFactory()
    admin_details["account"].calendar = calendar
    admin_details["account"].save()
    case = request_services.admin_case_create(contact=contact.user, details=admin_details)
    response = Milestone.objects.get(case=case, kind=MilestoneKind.RESPONSE)
    assert response.target_at == case.created_at + timedelta(days=2)


def test_technical_case_keeps_the_package_policy(account):
    case = CaseFactory(account=account)
    assert policy_for_case(case).code == "business-care-for-cloud"
    case.kind = CaseKind.ADMIN
    assert policy_for_case(case).code == "admin-cases"


def test_admin_case_fills_the_technical_blanks_and_records_history(
    contact, admin_details, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = request_services.admin_case_create(contact=contact.user, details=admin_details)
    case.refresh_from_db()
    assert case.number.startswith("CS-")
    assert case.what_went_wrong == "Please add 5 Genesys Cloud CX licences."
    assert case.steps_to_reproduce == "" and case.business_impact == ""
    assert case.impacted_time_zone == admin_details["account"].time_zone
    assert case.local_contact_email == contact.user.email
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.CREATED)
    assert event.detail == "Licensing"
    # Every new case: the receipt to the Designated Contact, the new-case notice to the care queue.
    assert sorted(message.to for message in mail.outbox) == sorted([[contact.user.email], [settings.CARE_QUEUE_EMAIL]])


def test_admin_case_rules(contact, reader, other_contact, admin_details):
    with pytest.raises(PermissionDenied):
        request_services.admin_case_create(contact=reader.user, details=admin_details)
    with pytest.raises(ValidationError) as error:
        request_services.admin_case_create(contact=other_contact.user, details=admin_details)
    assert "account" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        request_services.admin_case_create(
            contact=contact.user, details={**admin_details, "topic": "x", "description": " "}
        )
    assert {"topic", "description"} <= set(error.value.error_dict)
    assert not Case.objects.exists()


def test_admin_case_form_page_opens_the_case(client_for, contact, account):
    client = client_for(contact.user)
    page = client.get("/requests/admin/new/")
    assert page.status_code == 200
    assert "2 business days" in page.content.decode()
    response = client.post(
        "/requests/admin/new/",
        {
            "account": account.pk,
            "service": account.services.first().pk,
            "topic": "access",
            "subject": "Reset admin login",
            "description": "Our admin is locked out.",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.number}/"
    assert case.kind == CaseKind.ADMIN


def test_admin_case_form_shows_errors(client_for, contact, account):
    response = client_for(contact.user).post("/requests/admin/new/", {"account": account.pk})
    assert response.status_code == 200
    assert "Please correct the following" in response.content.decode()
    assert not Case.objects.exists()


def test_admin_case_shows_its_kind_in_list_detail_and_admin_queue(
    client_for, contact, staff, admin_details
):
    case = request_services.admin_case_create(contact=contact.user, details=admin_details)
    client = client_for(contact.user)
    listing = client.get("/cases/").content.decode()
    assert case.number in listing and "Administration" in listing
    detail = client.get(f"/cases/{case.number}/").content.decode()
    assert "Administration" in detail and "Please add 5 Genesys Cloud CX licences." in detail
    assert "Steps to reproduce" not in detail
    queue = client_for(staff).get("/admin/cases/case/").content.decode()
    assert case.number in queue and "Administration" in queue
    assert client_for(staff).get("/admin/cases/case/?kind__exact=admin").status_code == 200
    change = client_for(staff).get(f"/admin/cases/case/{case.pk}/change/")
    assert change.status_code == 200


def test_other_reseller_cannot_see_an_admin_case(client_for, contact, other_contact, admin_details):
    case = request_services.admin_case_create(contact=contact.user, details=admin_details)
    assert client_for(other_contact.user).get(f"/cases/{case.number}/").status_code == 404


def test_case_list_filters_by_kind(client_for, contact, account, admin_details):
    admin_case = request_services.admin_case_create(contact=contact.user, details=admin_details)
    technical = CaseFactory(account=account, opened_by=contact.user)
    client = client_for(contact.user)
    only_admin = client.get("/cases/?kind=admin").content.decode()
    assert (
        f"/cases/{admin_case.number}/" in only_admin
        and f"/cases/{technical.number}/" not in only_admin
    )
    only_technical = client.get("/cases/?kind=technical").content.decode()
    assert (
        f"/cases/{technical.number}/" in only_technical
        and f"/cases/{admin_case.number}/" not in only_technical
    )
