"""Uptime credits: the 30-day window after the month, the credit bands at their edges, staff review
with emails, and access to the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import UptimeCreditRequest
from cases.requests.credits import services as credits
from tests.cases.requests.helpers import account_with, mailed_to, service, without_csrf

pytestmark = pytest.mark.django_db

JANUARY = date(2026, 1, 1)  # ends 31 January; the last day to ask is 2 March (31 January + 30 days)


@pytest.fixture
def credit_account(reseller):  # type: ignore[no-untyped-def]
    return account_with(reseller, "premier-edition", "genesys-cloud-cx")


def _ask(contact, account, today: date, month: date = JANUARY) -> UptimeCreditRequest:  # type: ignore[no-untyped-def]
    return credits.credit_request_submit(
        contact=contact.user,
        account=account,
        service=service("premier-edition"),
        month=month,
        today=today,
    )


@pytest.mark.parametrize("today", [date(2026, 2, 1), date(2026, 2, 15), date(2026, 3, 2)])
def test_accepted_from_the_day_after_the_month_to_30_days_after(today, contact, credit_account):
    request = _ask(contact, credit_account, today)
    assert request.month == JANUARY and request.status == "submitted"


@pytest.mark.parametrize("today", [date(2026, 1, 15), date(2026, 1, 31)])
def test_refused_before_the_month_has_ended(today, contact, credit_account):
    with pytest.raises(ValidationError) as error:
        _ask(contact, credit_account, today)
    assert "ended" in str(error.value)


def test_refused_31_days_after_the_month(contact, credit_account):
    with pytest.raises(ValidationError) as error:
        _ask(contact, credit_account, date(2026, 3, 3))
    assert "2026-03-02" in str(error.value)
    assert not UptimeCreditRequest.objects.exists()


def test_window_for_short_and_leap_months():
    assert credits.request_window(date(2024, 2, 1)) == (date(2024, 3, 1), date(2024, 3, 30))
    assert credits.request_window(date(2025, 12, 1)) == (date(2026, 1, 1), date(2026, 1, 30))


def test_any_day_names_its_month_and_one_request_per_month(contact, credit_account):
    request = _ask(contact, credit_account, date(2026, 2, 3), month=date(2026, 1, 20))
    assert request.month == JANUARY
    with pytest.raises(ValidationError):
        _ask(contact, credit_account, date(2026, 2, 4))


def test_today_is_the_accounts_local_date(contact, credit_account):
    """23:30 on 31 January in New York is already 1 February in UTC: the month has not ended
    there."""
    from datetime import UTC, datetime

    with mock.patch(
        "django.utils.timezone.now", return_value=datetime(2026, 2, 1, 4, 30, tzinfo=UTC)
    ):
        with pytest.raises(ValidationError):
            credits.credit_request_submit(
                contact=contact.user,
                account=credit_account,
                service=service("premier-edition"),
                month=JANUARY,
            )


@pytest.mark.parametrize(
    ("uptime", "credit"),
    [
        ("100", "0"),
        ("99.99", "0"),
        ("99.990", "0"),
        ("99.989", "10"),
        ("99.5", "10"),
        ("99.0", "10"),
        ("99.000", "10"),
        ("98.999", "30"),
        ("0", "30"),
    ],
)
def test_credit_bands_at_their_edges(uptime, credit):
    assert credits.credit_percent_for(Decimal(uptime)) == Decimal(credit)


def test_only_contacts_of_the_reseller_for_its_accounts_services(
    reader, other_contact, contact, credit_account
):
    for user in (reader.user, other_contact.user):
        with pytest.raises(PermissionDenied):
            credits.credit_request_submit(
                contact=user,
                account=credit_account,
                service=service("premier-edition"),
                month=JANUARY,
                today=date(2026, 2, 2),
            )
    with pytest.raises(ValidationError):
        credits.credit_request_submit(
            contact=contact.user,
            account=credit_account,
            service=service("pureengage-cloud"),
            month=JANUARY,
            today=date(2026, 2, 2),
        )


def test_staff_measure_review_and_approve_with_emails(
    staff, contact, credit_account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(contact, credit_account, date(2026, 2, 2))
    assert mailed_to() == [settings.CARE_QUEUE_EMAIL]
    mail.outbox.clear()
    with pytest.raises(ValidationError):  # no uptime yet
        credits.credit_request_update(request=request, actor=staff, status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        credits.credit_request_update(request=request, actor=staff, status="under_review")
    assert mailed_to() == [contact.user.email] and "Under review" in mail.outbox[-1].subject
    request = credits.credit_record_uptime(request=request, actor=staff, measured_uptime="98.999")
    assert (request.measured_uptime, request.credit_percent) == (Decimal("98.999"), Decimal("30"))
    with django_capture_on_commit_callbacks(execute=True):
        credits.credit_request_update(
            request=request, actor=staff, status="approved", comment="Credited."
        )
    assert "30" in mail.outbox[-1].body and "Credited." in mail.outbox[-1].body
    assert mailed_to() == [contact.user.email] * 2
    with pytest.raises(ValidationError):
        credits.credit_request_update(request=request, actor=staff, status="rejected")
    with pytest.raises(ValidationError):
        credits.credit_record_uptime(request=request, actor=staff, measured_uptime="99.5")
    with pytest.raises(PermissionDenied):
        credits.credit_record_uptime(request=request, actor=contact.user, measured_uptime="99.5")


@pytest.mark.parametrize("bad", ["abc", "101", "-1", "99.9999", "NaN"])
def test_bad_uptime_is_refused(bad, staff, contact, credit_account):
    request = _ask(contact, credit_account, date(2026, 2, 2))
    with pytest.raises(ValidationError):
        credits.credit_record_uptime(request=request, actor=staff, measured_uptime=bad)


# --- pages ----------------------------------------------------------------------------------------


def test_contact_requests_a_credit_in_the_portal(client_for, contact, credit_account):
    client = client_for(contact.user)
    assert client.get("/requests/uptime-credits/new/").status_code == 200
    with mock.patch("cases.requests.credits.services._today_for", return_value=date(2026, 2, 10)):
        response = client.post(
            "/requests/uptime-credits/new/",
            {
                "account": credit_account.pk,
                "service": service("premier-edition").pk,
                "month": "2026-01",
                "notes": "Outage on 12 January.",
            },
        )
    request = UptimeCreditRequest.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/requests/uptime-credits/{request.pk}/"
    )
    assert request.reference in client.get("/requests/uptime-credits/").content.decode()
    assert "Outage on 12 January." in client.get(request.get_absolute_url()).content.decode()


def test_form_shows_the_window_error(client_for, contact, credit_account):
    with mock.patch("cases.requests.credits.services._today_for", return_value=date(2026, 4, 10)):
        response = client_for(contact.user).post(
            "/requests/uptime-credits/new/",
            {
                "account": credit_account.pk,
                "service": service("premier-edition").pk,
                "month": "2026-01",
            },
        )
    assert response.status_code == 400 and "2026-03-02" in response.content.decode()


def test_reader_reads_but_cannot_write_and_other_reseller_gets_404(
    client_for, reader, contact, other_contact, credit_account
):
    request = _ask(contact, credit_account, date(2026, 2, 2))
    client = client_for(reader.user)
    assert client.get(request.get_absolute_url()).status_code == 200
    assert client.get("/requests/uptime-credits/new/").status_code == 403
    assert (
        client.post("/requests/uptime-credits/new/", {"account": credit_account.pk}).status_code
        == 403
    )
    other = client_for(other_contact.user)
    foreign = other.get(request.get_absolute_url())
    missing = other.get(f"/requests/uptime-credits/{request.pk + 1000}/")
    assert foreign.status_code == missing.status_code == 404
    assert without_csrf(foreign.content) == without_csrf(missing.content)
    assert request.reference not in other.get("/requests/uptime-credits/").content.decode()


def test_admin_enters_uptime_and_approves(
    client_for, staff, contact, credit_account, django_capture_on_commit_callbacks
):
    request = _ask(contact, credit_account, date(2026, 2, 2))
    client = client_for(staff)
    url = f"/admin/cases/uptimecreditrequest/{request.pk}/change/"
    assert client.get(url).status_code == 200
    inline = {
        "events-TOTAL_FORMS": "1",
        "events-INITIAL_FORMS": "1",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
        "events-0-id": request.events.get().pk,
        "events-0-request": request.pk,
    }
    refused = client.post(url, {"new_status": "approved", "comment": "", **inline})
    assert (
        refused.status_code == 200
        and "Enter the measured uptime before approving." in refused.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"uptime": "99.989", "new_status": "approved", "comment": "", **inline}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.credit_percent) == ("approved", Decimal("10"))
