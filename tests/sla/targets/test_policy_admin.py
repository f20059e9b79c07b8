"""Staff edit SLA targets and support calendars in the Django admin."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cases.intake import services
from sla.models import Milestone, SlaPolicy, SlaTarget, SlaTargetChange, SupportCalendar
from tests.sla.factories import SupportCalendarFactory, case_logged_at, policy

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def policy_url(sla_policy: SlaPolicy) -> str:
    return f"/admin/sla/slapolicy/{sla_policy.pk}/change/"


def policy_form(sla_policy: SlaPolicy, **changes: tuple[str, int]) -> dict[str, Any]:
    """The change page's POST as the browser sends it; `changes` maps "S<severity>_<kind>" to a new
    (unit, amount)."""
    targets = list(SlaTarget.objects.filter(policy=sla_policy).order_by("severity", "kind"))
    data: dict[str, Any] = {
        "name": sla_policy.name,
        "warn_at_share": str(sla_policy.warn_at_share),
        "targets-TOTAL_FORMS": str(len(targets)),
        "targets-INITIAL_FORMS": str(len(targets)),
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    if sla_policy.notify_reseller_on_breach:
        data["notify_reseller_on_breach"] = "on"
    if sla_policy.pause_restoration_when_awaiting_reseller:
        data["pause_restoration_when_awaiting_reseller"] = "on"
    for i, target in enumerate(targets):
        unit, amount = changes.get(f"S{target.severity}_{target.kind}", (target.unit, target.amount))
        data.update({
            f"targets-{i}-id": str(target.pk),
            f"targets-{i}-policy": str(sla_policy.pk),
            f"targets-{i}-unit": unit,
            f"targets-{i}-amount": str(amount),
        })
    return data


def target(code: str, severity: int, kind: str) -> SlaTarget:
    return SlaTarget.objects.get(policy=policy(code), severity=severity, kind=kind)


def test_the_change_page_shows_every_target(staff, client_for):
    response = client_for(staff).get(policy_url(policy("business_care")))
    assert response.status_code == 200
    assert response.content.decode().count('name="targets-') >= 12 * 4


def test_editing_a_target_goes_through_target_update(staff, client_for, contact, intake):
    calendar = SupportCalendarFactory()
    before = case_logged_at(london(2025, 3, 11, 10), calendar=calendar)
    old_response = Milestone.objects.get(case=before, kind="response")
    assert (old_response.amount, old_response.target_at) == (120, london(2025, 3, 11, 12))

    sla_policy = policy("business_care")
    response = client_for(staff).post(
        policy_url(sla_policy), policy_form(sla_policy, S2_response=("business_minutes", 60)))
    assert response.status_code == 302, response.content.decode()[:2000]

    edited = target("business_care", 2, "response")
    assert (edited.unit, edited.amount) == ("business_minutes", 60)
    [change] = SlaTargetChange.objects.all()
    assert (change.target, change.changed_by, change.old_value, change.new_value) == (edited, staff, "2 bh", "1 bh")
    # Nothing else moved: other cells and the other packages' High response.
    assert target("business_care", 2, "restoration").amount == 2
    assert target("pure_success", 2, "response").amount == 120
    assert target("care", 2, "response").amount == 360

    # Existing milestones keep the target they were computed with.
    old_response.refresh_from_db()
    assert (old_response.amount, old_response.target_at) == (120, london(2025, 3, 11, 12))

    # New cases use the new target.
    after = case_logged_at(london(2025, 3, 11, 10), calendar=calendar)
    new_response = Milestone.objects.get(case=after, kind="response")
    assert (new_response.unit, new_response.amount, new_response.target_at) == (
        "business_minutes", 60, london(2025, 3, 11, 11))
    created = services.case_create(contact=contact.user, details=intake)  # Business Care, High
    assert Milestone.objects.get(case=created, kind="response").amount == 60


def test_setting_a_target_to_n_a_is_recorded(staff, client_for):
    sla_policy = policy("care")
    response = client_for(staff).post(policy_url(sla_policy), policy_form(sla_policy, S3_resolution=("none", 30)))
    assert response.status_code == 302
    edited = target("care", 3, "resolution")
    assert (edited.unit, edited.amount) == ("none", 0)
    change = SlaTargetChange.objects.get()
    assert (change.old_value, change.new_value) == ("30 bd", "n/a")


def test_saving_unchanged_targets_records_nothing(staff, client_for):
    sla_policy = policy("business_care")
    data = policy_form(sla_policy)
    data.pop("notify_reseller_on_breach")
    response = client_for(staff).post(policy_url(sla_policy), data)
    assert response.status_code == 302
    assert not SlaTargetChange.objects.exists()
    sla_policy.refresh_from_db()
    assert sla_policy.notify_reseller_on_breach is False  # the policy's own fields still save


def test_a_zero_amount_is_a_form_error_not_a_crash(staff, client_for):
    sla_policy = policy("business_care")
    response = client_for(staff).post(policy_url(sla_policy), policy_form(sla_policy, S2_response=("wall_minutes", 0)))
    assert response.status_code == 200
    assert target("business_care", 2, "response").amount == 120
    assert not SlaTargetChange.objects.exists()


def test_reseller_users_cannot_reach_the_policy_admin(contact, client_for):
    sla_policy = policy("business_care")
    client = client_for(contact.user)
    assert client.get(policy_url(sla_policy)).status_code in (302, 403, 404)
    client.post(policy_url(sla_policy), policy_form(sla_policy, S2_response=("business_minutes", 1)))
    assert target("business_care", 2, "response").amount == 120
    assert not SlaTargetChange.objects.exists()


# --------------------------------------------------------------------------- support calendars

def calendar_form(weekly_hours: str, name: str = "Berlin office", **extra: str) -> dict[str, str]:
    return {
        "name": name, "time_zone": "Europe/Berlin", "weekly_hours": weekly_hours,
        "holiday_country": "DE", "holiday_subdivision": "",
        "custom_holidays-TOTAL_FORMS": "1", "custom_holidays-INITIAL_FORMS": "0",
        "custom_holidays-MIN_NUM_FORMS": "0", "custom_holidays-MAX_NUM_FORMS": "1000",
        "custom_holidays-0-date": "2025-12-24", "custom_holidays-0-name": "Christmas Eve",
        "_save": "Save", **extra,
    }


INVALID_HOURS = [
    pytest.param(json.dumps({"0": [["18:00", "08:00"]]}), id="reversed"),
    pytest.param(json.dumps({"0": [["08:00", "12:00"], ["11:00", "18:00"]]}), id="overlapping"),
    pytest.param(json.dumps({"7": [["08:00", "18:00"]]}), id="weekday-7"),
    pytest.param(json.dumps({"monday": [["08:00", "18:00"]]}), id="weekday-name"),
    pytest.param(json.dumps({"0": [["08:00"]]}), id="no-end"),
    pytest.param(json.dumps({"0": "08:00-18:00"}), id="string-interval"),
    pytest.param(json.dumps({"0": [["25:00", "26:00"]]}), id="hour-25"),
    pytest.param(json.dumps({"0": [[8, 18]]}), id="numbers"),
    pytest.param(json.dumps([["08:00", "18:00"]]), id="not-a-mapping"),
    pytest.param("{not json", id="not-json"),
]


@pytest.mark.parametrize("weekly_hours", INVALID_HOURS)
def test_invalid_weekly_hours_show_an_error_and_save_nothing(staff, client_for, weekly_hours):
    response = client_for(staff).post("/admin/sla/supportcalendar/add/", calendar_form(weekly_hours))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.get("weekly_hours")
    assert "errornote" in response.content.decode()
    assert not SupportCalendar.objects.filter(name="Berlin office").exists()


@pytest.mark.parametrize("weekly_hours", INVALID_HOURS[:3])
def test_invalid_weekly_hours_on_an_existing_calendar_change_nothing(staff, client_for, weekly_hours):
    calendar = SupportCalendarFactory(name="London office")
    stamp = calendar.updated_at
    response = client_for(staff).post(
        f"/admin/sla/supportcalendar/{calendar.pk}/change/",
        calendar_form(weekly_hours, name="London office"),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.get("weekly_hours")
    calendar.refresh_from_db()
    assert calendar.weekly_hours == {str(day): [["08:00", "18:00"]] for day in range(5)}
    assert (calendar.time_zone, calendar.holiday_country, calendar.updated_at) == ("Europe/London", "", stamp)
    assert not calendar.custom_holidays.exists()


def test_a_valid_calendar_is_saved_with_its_holidays(staff, client_for):
    hours = json.dumps({"0": [["09:00", "12:00"], ["13:00", "17:00"]], "5": [["22:00", "24:00"]]})
    response = client_for(staff).post("/admin/sla/supportcalendar/add/", calendar_form(hours))
    assert response.status_code == 302
    calendar = SupportCalendar.objects.get(name="Berlin office")
    assert calendar.weekly_hours == json.loads(hours)
    assert [str(day) for day in calendar.custom_holidays.values_list("date", flat=True)] == ["2025-12-24"]
