"""Impossible values besides NUL: huge integers, invalid dates, unknown choices, overlong text and
broken UTF-8 are a 400, a 404 or a form error, never a 500; on PostgreSQL too, where an integer
beyond bigint or text past a column's length is an error from the database itself."""

from __future__ import annotations

import pytest

from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
BROKEN_UTF8 = "%ED%A0%80"  # an unpaired surrogate, as a hostile client sends it
FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("path", [
    f"/cases/{HUGE}/", f"/cases/CS-{HUGE}/", f"/requests/features/{HUGE}/", f"/requests/macd/{HUGE}/",
    f"/requests/uptime-credits/{str(2**63)}/", f"/cases/CS-1/attachments/{HUGE}/", f"/cases/{BROKEN_UTF8}/",
])
def test_ids_beyond_any_row_are_not_found(client_for, contact, path):
    assert client_for(contact.user).get(path).status_code == 404


@pytest.mark.parametrize("query", [
    f"page={HUGE}", "page=-1", "page=abc", f"severity={HUGE}", "status=no-such-status", f"account={HUGE}",
    f"service={HUGE}", "account=abc", f"q={BROKEN_UTF8}", "q=" + "x" * 5000,
])
def test_list_filters_with_impossible_values_still_answer(client_for, contact, query):
    for page in ("/cases/", "/requests/macd/", "/requests/features/", "/post-mortems/"):
        assert client_for(contact.user).get(f"{page}?{query}").status_code in (200, 400), (page, query)


@pytest.mark.parametrize("query", [
    f"rule={HUGE}&occurrence_start=2026-02-30T10:00", "rule=abc&occurrence_start=99999-01-01T00:00",
    "occurrence_start=" + BROKEN_UTF8,
])
def test_reschedule_page_with_impossible_window_is_not_a_server_error(client_for, contact, query):
    assert client_for(contact.user).get(f"/maintenance/reschedule/?{query}").status_code < 500


def test_staff_admin_filters_with_impossible_values(client_for, staff):
    client = client_for(staff)
    for query in (f"severity__exact={HUGE}", f"assignee__id__exact={HUGE}", "reseller__id__exact=abc",
                  "status__exact=no-such", f"p={HUGE}", "o=99.abc", f"q={BROKEN_UTF8}"):
        assert client.get(f"/admin/cases/case/?{query}").status_code < 500, query
    assert client.get(f"/admin/cases/case/{HUGE}/change/").status_code in (302, 404)


@pytest.mark.parametrize("body", [
    "username=" + "x" * 10000 + "&password=x", f"username={BROKEN_UTF8}&password={BROKEN_UTF8}",
    f"username={HUGE}&password=", "",
])
def test_anonymous_login_with_impossible_input_is_a_form_error(client, body):
    assert client.post("/accounts/login/", body, content_type=FORM).status_code == 200


@pytest.mark.parametrize("body", ["email=" + "x" * 10000 + "@example.com", f"email={BROKEN_UTF8}", "email="])
def test_anonymous_password_reset_with_impossible_input(client, body):
    assert client.post("/accounts/password_reset/", body, content_type=FORM).status_code in (200, 302)


@pytest.mark.parametrize("path", [
    "/maintenance/feed/" + "x" * 500 + ".ics", f"/maintenance/feed/{BROKEN_UTF8}.ics", f"/maintenance/feed/{HUGE}.ics",
    f"/accounts/reset/{BROKEN_UTF8}/{BROKEN_UTF8}/", "/accounts/reset/OTk5OTk5OTk5OTk5OTk5OTk5OTk5/x-y/",
])
def test_anonymous_links_with_impossible_values_are_not_found(client, path):
    assert client.get(path).status_code in (200, 404)


def test_overlong_and_unknown_values_in_a_contact_form_are_form_errors(client_for, contact):
    case = CaseFactory(account__reseller=contact.reseller, severity=3, priority=3)
    client = client_for(contact.user)
    for body in (f"severity={HUGE}&reason=why", "severity=9&reason=why", "severity=2&reason=" + "x" * 5000,
                 f"severity=2&reason={BROKEN_UTF8}x"):
        response = client.post(f"/cases/{case.number}/severity-request/", body, content_type=FORM)
        assert response.status_code in (302, 400), body
