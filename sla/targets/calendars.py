"""From a stored SupportCalendar to the pure BusinessCalendar that does the arithmetic."""

from __future__ import annotations

from datetime import date, time

import holidays as holiday_tables
from django.db import transaction
from django.utils import timezone

from portal.models import EndUserAccount
from sla.businesstime import BusinessCalendar
from sla.targets.models import DEFAULT_WEEKLY_HOURS, SupportCalendar

# Public holidays are materialised from a fixed first year (before any case this portal holds, so
# an old case's targets are explained with the holidays it had, however long ago) to a few years
# ahead of today: deadlines are weeks away at most, and the library computes a year at a time.
HOLIDAY_FIRST_YEAR = 2020
HOLIDAY_YEARS_AHEAD = 5

_cache: dict[tuple[int, str, tuple[date, ...]], BusinessCalendar] = {}


def _parse_time(text: str) -> time:
    if text in ("24:00", "00:00"):
        return time(0)
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def weekly_hours_of(calendar: SupportCalendar) -> dict[int, list[tuple[time, time]]]:
    return {
        int(day): [(_parse_time(start), _parse_time(end)) for start, end in intervals]
        for day, intervals in calendar.weekly_hours.items()
    }


def holidays_of(calendar: SupportCalendar) -> set[date]:
    days = set(calendar.custom_holidays.values_list("date", flat=True))
    if calendar.holiday_country:
        this_year = timezone.now().year
        years = range(min(HOLIDAY_FIRST_YEAR, this_year), this_year + HOLIDAY_YEARS_AHEAD + 1)
        table = holiday_tables.country_holidays(
            calendar.holiday_country, subdiv=calendar.holiday_subdivision or None, years=years
        )
        days.update(table.keys())
    return days


def business_calendar(calendar: SupportCalendar) -> BusinessCalendar:
    """Built once per calendar version and kept: building the tables is the expensive part.

    The custom holidays are part of the key, so one added outside admin (which would not touch the
    calendar's updated_at) still takes effect.
    """
    custom = tuple(calendar.custom_holidays.order_by("date").values_list("date", flat=True))
    key = (calendar.pk, calendar.updated_at.isoformat(), custom)
    cached = _cache.get(key)
    if cached is None:
        cached = BusinessCalendar(calendar.time_zone, weekly_hours_of(calendar), holidays_of(calendar))
        _cache[key] = cached
    return cached


def validate_calendar(calendar: SupportCalendar) -> None:
    """Raises ValueError with the pure module's message if the stored definition is unusable."""
    BusinessCalendar(calendar.time_zone, weekly_hours_of(calendar), ())


@transaction.atomic
def calendar_for_account(account: EndUserAccount) -> SupportCalendar:
    """Every account has a calendar; one without gets the default for its time zone, once."""
    if account.calendar_id is not None:
        return account.calendar  # type: ignore[return-value]
    calendar, _ = SupportCalendar.objects.get_or_create(
        name=f"Mon-Fri 08:00-18:00 ({account.time_zone})",
        defaults={"time_zone": account.time_zone, "weekly_hours": DEFAULT_WEEKLY_HOURS},
    )
    EndUserAccount.objects.filter(pk=account.pk, calendar__isnull=True).update(calendar=calendar)
    account.calendar = calendar
    return calendar
