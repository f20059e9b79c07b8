"""The new-case form (Support Guide 4.2) as a Designated Contact fills it in through /cases/new/."""

from __future__ import annotations

import html
import re
import zoneinfo
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from cases.intake.forms import CaseForm
from cases.intake.services import CONFIRMATION_FIELDS
from cases.models import Case, Severity
from portal.models import CloudService, EndUserAccount
from tests.portal.factories import CloudServiceFactory, EndUserAccountFactory

pytestmark = pytest.mark.django_db

URL = "/cases/new/"

# Required text-like fields and a distinctive value for each, so the re-rendered form can be searched.
TEXT_VALUES = {
    "subject": "Agents cannot log in at Harbour St",
    "users_affected": "37",
    "impacted_location": "Harbour Street contact centre",
    "impacted_working_hours": "Mon-Sat 07:30-19:30",
    "what_went_wrong": "Login fails with error 503 & a spinner since 09:00.",
    "business_impact": "Thirty-seven agents cannot take calls.",
    "steps_to_reproduce": "Open the agent desktop, click Sign in.",
    "local_contact_name": "Pat O'Local",
    "local_contact_phone": "+1 212 555 0199",
    "first_observed_local": None,  # filled from the intake fixture
}
OPTIONAL_VALUES = {"dns": "DN 4711", "campaign_name": "Spring renewals"}
CHOICE_FIELDS = ("account", "service", "priority", "frequency", "impacted_time_zone")
REQUIRED_FIELDS = [*CHOICE_FIELDS, *[f for f in TEXT_VALUES if f != "users_affected"], "users_affected"]


@pytest.fixture
def form_data(intake_post) -> dict[str, Any]:
    data = {**intake_post, **{k: v for k, v in TEXT_VALUES.items() if v is not None}, **OPTIONAL_VALUES}
    return data


@pytest.fixture
def client(client_for, contact):  # type: ignore[no-untyped-def]
    return client_for(contact.user)


def _field_errors(response, field: str) -> list[str]:  # type: ignore[no-untyped-def]
    return list(response.context["form"].errors.get(field, []))


def _assert_refused(response, field: str) -> str:  # type: ignore[no-untyped-def]
    """The form came back (200) with an error on that field, shown on the page, and no case exists."""
    assert response.status_code == 200, response.content.decode()[:2000]
    assert not Case.objects.exists()
    errors = _field_errors(response, field)
    assert errors, f"no error on {field}: {response.context['form'].errors}"
    body = response.content.decode()
    assert 'id="form-errors"' in body
    for error in errors:
        assert html.escape(error) in body
    return body


def _typed_value_in(body: str, field: str, value: str) -> bool:
    escaped = re.escape(html.escape(value))
    if field in {"what_went_wrong", "business_impact", "steps_to_reproduce"}:
        return re.search(rf'<textarea name="{field}"[^>]*>\s*{escaped}</textarea>', body) is not None
    return re.search(rf'<input type="[a-z-]+" name="{field}" value="{escaped}"', body) is not None


def _selected_in(body: str, field: str, value: str) -> bool:
    select = re.search(rf'<select name="{field}".*?</select>', body, re.DOTALL)
    return select is not None and re.search(
        rf'<option value="{re.escape(value)}"[^>]*\bselected\b', select.group(0)
    ) is not None


# --- required fields ------------------------------------------------------------------------------


def test_required_fields_list_matches_the_form(account):
    form = CaseForm(accounts=EndUserAccount.objects.filter(pk=account.pk))
    required = {name for name, field in form.fields.items() if field.required}
    assert required == set(REQUIRED_FIELDS) | set(CONFIRMATION_FIELDS)


def test_complete_form_is_accepted(client, form_data):
    """The control: the same data with nothing removed files a case."""
    response = client.post(URL, form_data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert case.subject == TEXT_VALUES["subject"]
    assert case.dns == OPTIONAL_VALUES["dns"]


@pytest.mark.parametrize("missing", REQUIRED_FIELDS)
def test_missing_required_field_is_shown_and_everything_else_is_kept(missing, client, form_data):
    data = {key: value for key, value in form_data.items() if key != missing}
    response = client.post(URL, data)
    body = _assert_refused(response, missing)
    assert f'href="#id_{missing}"' in body  # the error summary links to the field
    assert "required" in " ".join(_field_errors(response, missing)).lower()
    assert set(response.context["form"].errors) == {missing}
    for field, value in {**TEXT_VALUES, **OPTIONAL_VALUES}.items():
        if field == missing:
            continue
        value = value if value is not None else form_data[field]
        assert _typed_value_in(body, field, str(value)), f"{field} lost after {missing} was left out"
    for field in CHOICE_FIELDS:
        if field != missing:
            assert _selected_in(body, field, str(form_data[field])), f"{field} lost after {missing} was left out"
    for field in CONFIRMATION_FIELDS:
        assert re.search(rf'<input type="checkbox" name="{field}"[^>]*\bchecked\b', body), field


# --- users affected -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-3"])
def test_users_affected_must_be_positive(value, client, form_data):
    response = client.post(URL, {**form_data, "users_affected": value})
    _assert_refused(response, "users_affected")


def test_one_user_affected_is_enough(client, form_data):
    response = client.post(URL, {**form_data, "users_affected": "1"})
    assert response.status_code == 302
    assert Case.objects.get().users_affected == 1


# --- first observed, in the impacted users' time zone ---------------------------------------------


def _wall_time(zone: str, delta: timedelta) -> str:
    return (timezone.now().astimezone(zoneinfo.ZoneInfo(zone)) + delta).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def viewer_in_tokyo(contact):  # type: ignore[no-untyped-def]
    """The contact's own zone differs from the impacted users', so using the wrong one shows up."""
    contact.user.time_zone = "Asia/Tokyo"
    contact.user.save()
    return contact


def test_first_observed_in_the_future_is_refused_in_the_impacted_zone(client, viewer_in_tokyo, form_data):
    # 30 minutes ahead of now on an Auckland wall clock.
    wall = _wall_time("Pacific/Auckland", timedelta(minutes=30))
    response = client.post(
        URL, {**form_data, "impacted_time_zone": "Pacific/Auckland", "first_observed_local": wall}
    )
    body = _assert_refused(response, "first_observed_local")
    assert "future" in body


def test_first_observed_in_the_future_is_refused_by_the_service_layer(client, viewer_in_tokyo, form_data):
    """Whatever the page shows, a future time never becomes a case."""
    wall = _wall_time("Pacific/Auckland", timedelta(minutes=30))
    try:
        response = client.post(
            URL, {**form_data, "impacted_time_zone": "Pacific/Auckland", "first_observed_local": wall}
        )
    except ValueError:
        response = None
    assert response is None or response.status_code != 302
    assert not Case.objects.exists()


def test_same_wall_time_is_accepted_where_it_is_already_past(client, viewer_in_tokyo, form_data):
    # Kiritimati is UTC+14, ahead of Auckland (UTC+12/+13): the same wall time is 30-90 minutes ago there.
    wall = _wall_time("Pacific/Auckland", timedelta(minutes=30))
    response = client.post(
        URL, {**form_data, "impacted_time_zone": "Pacific/Kiritimati", "first_observed_local": wall}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    expected = datetime.strptime(wall, "%Y-%m-%dT%H:%M").replace(tzinfo=zoneinfo.ZoneInfo("Pacific/Kiritimati"))
    assert case.first_observed_at == expected
    assert case.first_observed_at < timezone.now()
    assert case.impacted_time_zone == "Pacific/Kiritimati"


def test_form_reads_the_wall_time_in_the_impacted_zone_not_the_viewers(account):
    form = CaseForm(
        {"first_observed_local": "2024-03-01T09:15", "impacted_time_zone": "Pacific/Auckland"},
        accounts=EndUserAccount.objects.filter(pk=account.pk),
    )
    with timezone.override(zoneinfo.ZoneInfo("America/Los_Angeles")):
        form.is_valid()
    assert form.cleaned_data["first_observed_at"] == datetime(
        2024, 3, 1, 9, 15, tzinfo=zoneinfo.ZoneInfo("Pacific/Auckland")
    )
    assert form.cleaned_data["first_observed_at"].utcoffset() == timedelta(hours=13)


# --- priority -------------------------------------------------------------------------------------


def test_critical_priority_is_refused(client, form_data):
    response = client.post(URL, {**form_data, "priority": str(Severity.CRITICAL)})
    body = _assert_refused(response, "priority")
    assert "Submit this case as High, then call Customer Care" in body
    assert not re.search(r'<option value="1"', re.search(r'<select name="priority".*?</select>', body, re.DOTALL)[0])


def test_critical_priority_error_tells_to_submit_as_high_and_call(client, form_data):
    response = client.post(URL, {**form_data, "priority": str(Severity.CRITICAL)})
    errors = " ".join(_field_errors(response, "priority"))
    assert "High" in errors and "call" in errors


def test_high_priority_is_accepted(client, form_data):
    response = client.post(URL, {**form_data, "priority": str(Severity.HIGH)})
    assert response.status_code == 302
    assert Case.objects.get().priority == Severity.HIGH


# --- account and service --------------------------------------------------------------------------


def test_account_of_another_reseller_is_refused(client, form_data, other_contact):
    foreign = other_contact.reseller.accounts.get()
    response = client.post(URL, {**form_data, "account": foreign.pk})
    body = _assert_refused(response, "account")
    assert foreign.name not in body  # not even offered as a choice


def test_service_the_account_does_not_subscribe_to_is_refused(client, form_data, account, reseller):
    # Offered in the list (a sister account subscribes to it) but not subscribed by this account.
    sister_only = CloudServiceFactory(code="speech-analytics", name="Speech Analytics")
    EndUserAccountFactory(reseller=reseller, services=[sister_only])
    assert not account.services.filter(pk=sister_only.pk).exists()
    response = client.post(URL, {**form_data, "service": sister_only.pk})
    _assert_refused(response, "service")
    assert "does not subscribe" in " ".join(_field_errors(response, "service"))


def test_service_no_account_of_the_reseller_has_is_refused(client, form_data):
    nobody = CloudService.objects.exclude(accounts__isnull=False).first() or CloudServiceFactory()
    response = client.post(URL, {**form_data, "service": nobody.pk})
    _assert_refused(response, "service")


# --- first-level support confirmations ------------------------------------------------------------


@pytest.mark.parametrize("confirmation", CONFIRMATION_FIELDS)
def test_each_first_level_support_confirmation_is_required(confirmation, client, form_data):
    data = {key: value for key, value in form_data.items() if key != confirmation}
    response = client.post(URL, data)
    body = _assert_refused(response, confirmation)
    assert set(response.context["form"].errors) == {confirmation}
    assert _typed_value_in(body, "subject", TEXT_VALUES["subject"])


def test_new_case_form_starts_in_the_contacts_time_zone(client, viewer_in_tokyo):
    response = client.get(URL)
    assert response.status_code == 200
    assert _selected_in(response.content.decode(), "impacted_time_zone", "Asia/Tokyo")
