from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from sla.targets.calendars import business_calendar, calendar_for_account
from tests.portal.factories import EndUserAccountFactory
from tests.sla.factories import CustomHolidayFactory, SupportCalendarFactory

pytestmark = pytest.mark.django_db


def test_an_account_without_a_calendar_gets_the_default_for_its_zone_once():
    first = EndUserAccountFactory(time_zone="Europe/Berlin")
    second = EndUserAccountFactory(time_zone="Europe/Berlin")
    calendar = calendar_for_account(first)
    assert calendar_for_account(second) == calendar
    assert calendar.time_zone == "Europe/Berlin"
    assert calendar.weekly_hours == {str(day): [["08:00", "18:00"]] for day in range(5)}
    first.refresh_from_db()
    assert first.calendar == calendar


def test_accounts_saved_in_admin_get_a_calendar(client_for, staff, reseller):
    from portal.models import CloudService, EndUserAccount

    response = client_for(staff).post("/admin/portal/enduseraccount/add/", {
        "reseller": reseller.pk, "name": "Adventure Works", "department": "", "support_package": "care",
        "time_zone": "Asia/Tokyo", "services": [CloudService.objects.first().pk], "calendar": "",
        "csm_name": "", "csm_email": "",
    })
    assert response.status_code == 302
    assert EndUserAccount.objects.get(name="Adventure Works").calendar.time_zone == "Asia/Tokyo"


def test_public_holidays_of_the_calendar_country_are_closed():
    calendar = SupportCalendarFactory(time_zone="America/New_York", holiday_country="US")
    hours = business_calendar(calendar)
    independence_day = datetime(2026, 7, 3, 12, 0, tzinfo=ZoneInfo("America/New_York"))  # observed Friday
    assert not hours.is_open(independence_day)
    assert hours.is_open(datetime(2026, 7, 2, 12, 0, tzinfo=ZoneInfo("America/New_York")))


def test_a_custom_holiday_added_later_reaches_the_cached_calendar():
    calendar = SupportCalendarFactory()
    monday = datetime(2026, 3, 16, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    assert business_calendar(calendar).is_open(monday)
    CustomHolidayFactory(calendar=calendar, date=date(2026, 3, 16))
    assert not business_calendar(calendar).is_open(monday)
