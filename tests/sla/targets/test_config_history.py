"""SLA policy settings, support calendars and an account's package, zone and calendar: admin saves
them through the sla.targets services, which check the actor, validate and leave a ChangeRecord."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models import ChangeRecord
from sla.models import CustomHoliday, SlaPolicy, SupportCalendar
from sla.targets import services
from tests.admin_forms import change_form_data
from tests.sla.factories import CustomHolidayFactory, SupportCalendarFactory, policy

pytestmark = pytest.mark.django_db


def rows(obj: object) -> list[tuple[object, str, str, str]]:
    return [(row.actor, row.field, row.old_value, row.new_value)
            for row in ChangeRecord.objects.filter(object_id=obj.pk).order_by("field")  # type: ignore[attr-defined]
            if row.changed_object == obj]


# --------------------------------------------------------------------------- policy settings

def test_policy_settings_saved_in_admin_are_recorded(staff, client_for):
    sla_policy = policy("business_care")
    url = f"/admin/sla/slapolicy/{sla_policy.pk}/change/"
    client = client_for(staff)
    data = change_form_data(client, url)
    data["warn_at_share"] = "0.600"
    data["pause_restoration_when_awaiting_reseller"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    sla_policy.refresh_from_db()
    assert (sla_policy.warn_at_share, sla_policy.pause_restoration_when_awaiting_reseller) == (Decimal("0.6"), True)
    assert rows(sla_policy) == [
        (staff, "pause_restoration_when_awaiting_reseller", "False", "True"),
        (staff, "warn_at_share", "0.750", "0.600"),
    ]


def test_an_impossible_warning_share_re_renders_and_saves_nothing(staff, client_for):
    sla_policy = policy("business_care")
    url = f"/admin/sla/slapolicy/{sla_policy.pk}/change/"
    client = client_for(staff)
    data = change_form_data(client, url)
    data["warn_at_share"] = "1.500"
    data.pop("notify_reseller_on_breach")  # a valid change on the same page is not saved either
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["warn_at_share"]
    assert form["warn_at_share"].value() == "1.500"
    assert "changed successfully" not in response.content.decode()
    sla_policy.refresh_from_db()
    assert (sla_policy.warn_at_share, sla_policy.notify_reseller_on_breach) == (Decimal("0.75"), True)
    assert not ChangeRecord.objects.exists()


def test_only_care_staff_may_change_a_policy(contact):
    with pytest.raises(PermissionDenied):
        services.policy_update(policy=policy("care"), actor=contact.user, changes={"warn_at_share": Decimal("0.5")})
    assert SlaPolicy.objects.get(pk=policy("care").pk).warn_at_share == Decimal("0.75")


def test_policy_update_refuses_fields_it_does_not_own(staff):
    with pytest.raises(ValidationError):
        services.policy_update(policy=policy("care"), actor=staff, changes={"support_package": "pure_success"})
    assert not ChangeRecord.objects.exists()


# --------------------------------------------------------------------------- support calendars

def test_calendar_hours_and_holidays_saved_in_admin_are_recorded(staff, client_for):
    calendar = SupportCalendarFactory(name="London office")
    CustomHolidayFactory(calendar=calendar, date=date(2025, 3, 17), name="Company day")
    stamp = calendar.updated_at
    url = f"/admin/sla/supportcalendar/{calendar.pk}/change/"
    client = client_for(staff)
    data = change_form_data(client, url)
    data["weekly_hours"] = json.dumps({"0": [["09:00", "17:00"]]})
    data["custom_holidays-0-DELETE"] = "on"  # drop Company day, add Christmas Eve
    data["custom_holidays-1-date"], data["custom_holidays-1-name"] = "2025-12-24", "Christmas Eve"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    calendar.refresh_from_db()
    assert calendar.weekly_hours == {"0": [["09:00", "17:00"]]}
    assert calendar.updated_at > stamp  # what the built-calendar cache is keyed on
    assert list(calendar.custom_holidays.values_list("date", "name")) == [(date(2025, 12, 24), "Christmas Eve")]
    assert rows(calendar) == [
        (staff, "custom_holiday:2025-03-17", "2025-03-17 Company day", ""),
        (staff, "custom_holiday:2025-12-24", "", "2025-12-24 Christmas Eve"),
        (staff, "weekly_hours", json.dumps({str(day): [["08:00", "18:00"]] for day in range(5)}),
         json.dumps({"0": [["09:00", "17:00"]]})),
    ]


def test_invalid_weekly_hours_re_render_with_the_input_and_save_nothing(staff, client_for):
    calendar = SupportCalendarFactory(name="London office")
    stamp = calendar.updated_at
    url = f"/admin/sla/supportcalendar/{calendar.pk}/change/"
    client = client_for(staff)
    data = change_form_data(client, url)
    typed = json.dumps({"0": [["18:00", "08:00"]]})
    data["weekly_hours"] = typed
    data["time_zone"] = "Europe/Berlin"
    data["custom_holidays-0-date"], data["custom_holidays-0-name"] = "2025-12-24", "Christmas Eve"
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["weekly_hours"]
    assert form["weekly_hours"].value() == typed
    assert form["time_zone"].value() == "Europe/Berlin"
    assert "changed successfully" not in response.content.decode()
    calendar.refresh_from_db()
    assert (calendar.time_zone, calendar.updated_at) == ("Europe/London", stamp)
    assert not CustomHoliday.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_an_unknown_holiday_country_is_a_form_error(staff, client_for):
    calendar = SupportCalendarFactory()
    url = f"/admin/sla/supportcalendar/{calendar.pk}/change/"
    client = client_for(staff)
    data = change_form_data(client, url)
    data["holiday_country"] = "XX"
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["holiday_country"]
    calendar.refresh_from_db()
    assert calendar.holiday_country == ""


def test_a_calendar_added_in_admin_records_its_settings(staff, client_for):
    response = client_for(staff).post("/admin/sla/supportcalendar/add/", {
        "name": "Berlin office", "time_zone": "Europe/Berlin", "weekly_hours": json.dumps({"0": [["08:00", "16:00"]]}),
        "holiday_country": "DE", "holiday_subdivision": "BE",
        "custom_holidays-TOTAL_FORMS": "1", "custom_holidays-INITIAL_FORMS": "0",
        "custom_holidays-MIN_NUM_FORMS": "0", "custom_holidays-MAX_NUM_FORMS": "1000",
        "custom_holidays-0-date": "2025-12-24", "custom_holidays-0-name": "Christmas Eve", "_save": "Save",
    })
    assert response.status_code == 302
    calendar = SupportCalendar.objects.get(name="Berlin office")
    assert {field: new for _, field, old, new in rows(calendar)} == {
        "name": "Berlin office", "time_zone": "Europe/Berlin", "weekly_hours": json.dumps({"0": [["08:00", "16:00"]]}),
        "holiday_country": "DE", "holiday_subdivision": "BE", "custom_holiday:2025-12-24": "2025-12-24 Christmas Eve",
    }


def test_only_care_staff_may_change_a_calendar(contact):
    calendar = SupportCalendarFactory()
    with pytest.raises(PermissionDenied):
        services.calendar_update(calendar=calendar, actor=contact.user, changes={"time_zone": "UTC"},
                                 holidays={date(2025, 12, 24): "Christmas Eve"})
    calendar.refresh_from_db()
    assert calendar.time_zone == "Europe/London"
    assert not calendar.custom_holidays.exists()


# --------------------------------------------------------------------------- an account's SLA

def test_an_accounts_package_zone_and_calendar_saved_in_admin_are_recorded(staff, client_for, account):
    calendar = SupportCalendarFactory(name="New York office", time_zone="America/New_York")
    url = f"/admin/portal/enduseraccount/{account.pk}/change/"
    client = client_for(staff)
    data = change_form_data(client, url)
    data.update(support_package="pure_success", time_zone="America/Chicago", calendar=str(calendar.pk),
                department="Sales")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    account.refresh_from_db()
    assert (account.support_package, account.time_zone, account.calendar, account.department) == (
        "pure_success", "America/Chicago", calendar, "Sales")
    assert rows(account) == [
        (staff, "calendar", "", "New York office"),
        (staff, "support_package", "business_care", "pure_success"),
        (staff, "time_zone", "America/New_York", "America/Chicago"),
    ]


def test_an_unknown_time_zone_on_an_account_re_renders_and_saves_nothing(staff, client_for, account):
    url = f"/admin/portal/enduseraccount/{account.pk}/change/"
    client = client_for(staff)
    data = change_form_data(client, url)
    data.update(time_zone="Mars/Olympus_Mons", support_package="pure_success", department="Sales")
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["time_zone"]
    assert (form["time_zone"].value(), form["department"].value()) == ("Mars/Olympus_Mons", "Sales")
    assert "changed successfully" not in response.content.decode()
    account.refresh_from_db()
    assert (account.time_zone, account.support_package, account.department) == (
        "America/New_York", "business_care", "")
    assert not ChangeRecord.objects.exists()


def test_only_care_staff_may_switch_an_accounts_sla(contact, account):
    with pytest.raises(PermissionDenied):
        services.account_sla_update(account=account, actor=contact.user, support_package="pure_success",
                                    time_zone="UTC", calendar=None)
    account.refresh_from_db()
    assert account.support_package == "business_care"
    assert not ChangeRecord.objects.exists()


def test_the_history_is_listed_read_only_in_admin(staff, client_for, contact):
    services.policy_update(policy=policy("care"), actor=staff, changes={"warn_at_share": Decimal("0.5")})
    client = client_for(staff)
    response = client.get("/admin/portal/changerecord/?q=warn_at_share")
    assert response.status_code == 200
    assert "0.750" in response.content.decode()  # the old value, as stored
    record = ChangeRecord.objects.get()
    assert client.get("/admin/portal/changerecord/add/").status_code == 403
    assert client.post(f"/admin/portal/changerecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ChangeRecord.objects.filter(pk=record.pk).exists()
    assert client_for(contact.user).get("/admin/portal/changerecord/").status_code in (302, 403, 404)
