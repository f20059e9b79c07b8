"""Tests for sla.businesstime (pure Python; no Django).

Property tests compare the bisect-table implementation with the brute-force
minute-stepping oracle in tests.sla.businesstime.oracle.py; hand-written cases
pin the contract's examples, each DST change, holidays and bad arguments.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla.businesstime import BusinessCalendar
from tests.sla.businesstime.oracle import (
    MINUTE,
    OFFICE,
    UTC,
    Oracle,
    Scenario,
    instant,
    scenarios,
    weekly_minutes,
)

ROOT = Path(__file__).resolve().parents[2]
WEEKDAYS_OFFICE = {day: OFFICE for day in range(5)}


# BUSINESSTIME_EXAMPLES=2000 gives a deeper (slower) run than the default.
PROPERTY = settings(max_examples=int(os.environ.get("BUSINESSTIME_EXAMPLES", "120")),
                    deadline=None, suppress_health_check=[HealthCheck.too_slow])


def build(scenario: Scenario) -> tuple[BusinessCalendar, Oracle, datetime]:
    tz, weekly, holidays, start = scenario
    return BusinessCalendar(tz, weekly, holidays), Oracle(tz, weekly, holidays, start), start


# ------------------------------------------------------------ property tests

@PROPERTY
@given(scenarios(), st.integers(0, 3 * 1440))
def test_is_open_and_next_opening_match_oracle(scenario, later):
    cal, oracle, start = build(scenario)
    # Step in UTC: aware + timedelta is wall-clock arithmetic and drops fold.
    moment = instant(start) + later * MINUTE
    assert cal.is_open(moment) == oracle.is_open(moment)
    assert instant(cal.next_opening(moment)) == oracle.next_opening(moment)


@PROPERTY
@given(scenarios(), st.data())
def test_add_business_minutes_matches_oracle(scenario, data):
    cal, oracle, start = build(scenario)
    # Scale to the calendar so sparse weeks do not make the oracle crawl.
    minutes = data.draw(st.integers(0, min(3000, weekly_minutes(scenario[1]) * 3 // 2)))
    got = cal.add_business_minutes(start, minutes)
    assert instant(got) == oracle.add_minutes(start, minutes)
    assert got.tzinfo == ZoneInfo(scenario[0])


@PROPERTY
@given(scenarios(), st.integers(-4 * 1440, 4 * 1440))
def test_business_minutes_between_matches_oracle(scenario, span):
    cal, oracle, start = build(scenario)
    end = instant(start) + span * MINUTE
    # The oracle cannot step before its origin, so give it the earlier one.
    oracle = Oracle(scenario[0], scenario[1], scenario[2], min(start, end))
    assert cal.business_minutes_between(start, end) == oracle.minutes_between(start, end)


@PROPERTY
@given(scenarios(), st.integers(0, 3))
def test_add_business_days_matches_oracle(scenario, days):
    cal, oracle, start = build(scenario)
    assert instant(cal.add_business_days(start, days)) == oracle.add_days(start, days)


@settings(max_examples=100, deadline=None)
@given(scenarios(), st.integers(1900, 2100), st.integers(0, 10**14), st.integers(0, 5000))
def test_add_then_between_round_trips_at_any_date(scenario, year, micros, minutes):
    """No oracle: far dates and microsecond starts, checking the two
    directions of the table agree (between(start, add(start, n)) == n)."""
    tz, weekly, holidays, _ = scenario
    cal = BusinessCalendar(tz, weekly, holidays)
    offset = timedelta(microseconds=micros % (365 * 86400 * 10**6))
    start = datetime(year, 1, 1, tzinfo=UTC) + offset
    deadline = cal.add_business_minutes(start, minutes)
    assert cal.business_minutes_between(start, deadline) == minutes
    if minutes:
        assert not deadline < start
        assert cal.is_open(deadline - timedelta(microseconds=1))


# ------------------------------------------------------------ hand-written cases

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def every_day(hours: list[tuple[time, time]]) -> dict[int, list[tuple[time, time]]]:
    return {day: hours for day in range(7)}


@pytest.mark.parametrize("zone, spring, autumn", [
    ("Europe/London", date(2024, 3, 31), date(2024, 10, 27)),
    ("America/New_York", date(2024, 3, 10), date(2024, 11, 3)),
])
def test_dst_days_are_shorter_and_longer_in_real_time(zone, spring, autumn):
    tz = ZoneInfo(zone)
    full = BusinessCalendar(zone, every_day([(time(0), time(0))]))
    early = BusinessCalendar(zone, every_day([(time(0), time(6))]))

    def day_bounds(d: date) -> tuple[datetime, datetime]:
        return (datetime.combine(d, time(0), tz),
                datetime.combine(d + timedelta(days=1), time(0), tz))

    assert full.business_minutes_between(*day_bounds(spring)) == 23 * 60
    assert full.business_minutes_between(*day_bounds(autumn)) == 25 * 60
    assert early.business_minutes_between(*day_bounds(spring)) == 5 * 60
    assert early.business_minutes_between(*day_bounds(autumn)) == 7 * 60
    # 5 real hours fill the short 00:00-06:00 interval exactly: its close.
    def at(d: date, hour: int) -> datetime:
        return datetime.combine(d, time(hour), tz)

    assert early.add_business_minutes(day_bounds(spring)[0], 300) == at(spring, 6)
    # On the long day 6 real hours end an hour of wall clock early.
    assert early.add_business_minutes(day_bounds(autumn)[0], 360) == at(autumn, 5)
    # 24x7 across the shift: wall clock moves 1 hour more/less than real time.
    assert full.add_business_minutes(day_bounds(spring)[0], 180) == at(spring, 4)
    assert full.add_business_minutes(day_bounds(autumn)[0], 180) == at(autumn, 2)


def test_interval_starting_in_the_spring_gap_opens_at_the_jump():
    cal = BusinessCalendar("America/New_York", {6: [(time(2, 30), time(5))]})
    jump = datetime(2024, 3, 10, 7, 0, tzinfo=UTC)  # 02:00 EST becomes 03:00 EDT
    assert cal.next_opening(ny(2024, 3, 10, 0, 0)) == jump
    assert not cal.is_open(jump - MINUTE)
    assert cal.is_open(jump)
    assert cal.business_minutes_between(ny(2024, 3, 10), ny(2024, 3, 11)) == 120


def test_ambiguous_bounds_use_the_first_occurrence():
    first_0115 = datetime(2024, 11, 3, 5, 15, tzinfo=UTC)   # 01:15 EDT
    second_0115 = datetime(2024, 11, 3, 6, 15, tzinfo=UTC)  # 01:15 EST
    opens = BusinessCalendar("America/New_York", {6: [(time(1, 30), time(3))]})
    assert instant(opens.next_opening(ny(2024, 11, 3))) == datetime(2024, 11, 3, 5, 30, tzinfo=UTC)
    assert opens.is_open(second_0115)  # already past the first 01:30
    assert opens.business_minutes_between(ny(2024, 11, 3), ny(2024, 11, 4)) == 150
    closes = BusinessCalendar("America/New_York", {6: [(time(0), time(1, 30))]})
    assert closes.is_open(first_0115)
    assert not closes.is_open(second_0115)
    assert closes.business_minutes_between(ny(2024, 11, 3), ny(2024, 11, 4)) == 90


def test_office_hours_examples_from_the_contract():
    cal = BusinessCalendar("America/New_York", WEEKDAYS_OFFICE)
    # Deadline exactly at the close is that close, not the next opening.
    assert cal.add_business_minutes(ny(2024, 6, 3, 8), 600) == ny(2024, 6, 3, 18)
    assert cal.add_business_minutes(ny(2024, 6, 7, 17), 360) == ny(2024, 6, 10, 13)
    assert cal.add_business_days(ny(2024, 6, 4, 10), 1) == ny(2024, 6, 5, 10)
    assert cal.add_business_days(ny(2024, 6, 8, 10), 1) == ny(2024, 6, 10, 18)
    assert cal.add_business_days(ny(2024, 6, 8, 10), 0) == ny(2024, 6, 10, 8)
    assert cal.next_opening(ny(2024, 6, 7, 18)) == ny(2024, 6, 10, 8)
    assert cal.is_open(ny(2024, 6, 7, 8)) and not cal.is_open(ny(2024, 6, 7, 18))
    assert cal.business_minutes_between(ny(2024, 6, 10, 13), ny(2024, 6, 7, 17)) == -360
    assert cal.business_minutes_between(ny(2024, 6, 7, 17), ny(2024, 6, 7, 17, 0, 30)) == 0.5


def test_zero_minutes_returns_the_start_even_when_closed():
    cal = BusinessCalendar("America/New_York", WEEKDAYS_OFFICE)
    saturday = datetime(2024, 6, 8, 14, tzinfo=UTC)
    assert cal.add_business_minutes(saturday, 0) == saturday
    assert cal.add_business_minutes(saturday, 0).tzinfo == NY


def test_results_are_in_the_calendar_zone_whatever_the_input_zone():
    cal = BusinessCalendar("Europe/London", WEEKDAYS_OFFICE)
    result = cal.add_business_minutes(datetime(2024, 6, 3, 7, tzinfo=UTC), 60)  # 08:00 BST
    assert result == london(2024, 6, 3, 9) and result.tzinfo == LONDON


def test_holidays_are_skipped():
    cal = BusinessCalendar("America/New_York", WEEKDAYS_OFFICE, [date(2024, 7, 4)])
    # A start on the holiday moves past it.
    assert cal.next_opening(ny(2024, 7, 4, 9)) == ny(2024, 7, 5, 8)
    assert cal.add_business_minutes(ny(2024, 7, 4, 9), 60) == ny(2024, 7, 5, 9)
    # A deadline spanning it.
    assert cal.add_business_minutes(ny(2024, 7, 3, 17), 120) == ny(2024, 7, 5, 9)
    assert cal.add_business_days(ny(2024, 7, 3, 10), 1) == ny(2024, 7, 5, 10)
    assert cal.business_minutes_between(ny(2024, 7, 3, 17), ny(2024, 7, 5, 9)) == 120


def test_add_business_days_clamps_into_the_target_days_hours():
    hours = {0: OFFICE, 1: [(time(8), time(12)), (time(14), time(18))], 2: [(time(12), time(16))]}
    cal = BusinessCalendar("America/New_York", hours)
    # 13:00 falls in Tuesday's lunch gap: same business time as 12:00, and the
    # earliest instant with it is Tuesday's 12:00 close.
    assert cal.add_business_days(ny(2024, 6, 3, 13), 1) == ny(2024, 6, 4, 12)
    # 10:00 is before Wednesday's opening: the target is its 12:00 opening,
    # whose elapsed time is reached at Tuesday's 18:00 close.
    assert cal.add_business_days(ny(2024, 6, 4, 10), 1) == ny(2024, 6, 4, 18)
    # 17:00 is after Wednesday's close: the target is 16:00.
    assert cal.add_business_days(ny(2024, 6, 4, 17), 1) == ny(2024, 6, 5, 16)


def test_many_business_days_equal_repeated_single_days():
    cal = BusinessCalendar("America/New_York", WEEKDAYS_OFFICE,
                           [date(2024, 7, 4), date(2024, 12, 25), date(2025, 1, 1)])
    step = ny(2024, 6, 4, 10)
    for _ in range(300):
        step = cal.add_business_days(step, 1)
    assert cal.add_business_days(ny(2024, 6, 4, 10), 300) == step


def test_midnight_touching_intervals_belong_to_their_start_date():
    cal = BusinessCalendar("UTC", {0: [(time(22), time(0))], 1: [(time(0), time(5))]},
                           [date(2024, 6, 4)])  # Tuesday is a holiday; Monday night is not
    utc = UTC
    assert cal.business_minutes_between(datetime(2024, 6, 3, tzinfo=utc),
                                        datetime(2024, 6, 5, tzinfo=utc)) == 120
    assert cal.add_business_minutes(datetime(2024, 6, 3, 23, tzinfo=utc), 60) == \
        datetime(2024, 6, 4, tzinfo=utc)


def test_far_dates_work_and_tables_reset_on_jumps():
    cal = BusinessCalendar("America/New_York", WEEKDAYS_OFFICE)
    assert cal.add_business_minutes(ny(2024, 6, 7, 17), 360) == ny(2024, 6, 10, 13)
    assert cal.add_business_minutes(ny(2090, 6, 9, 17), 360) == ny(2090, 6, 12, 13)  # Fri
    assert cal.add_business_days(ny(1990, 6, 8, 10), 1) == ny(1990, 6, 11, 10)  # Fri -> Mon
    assert cal.next_opening(ny(2090, 12, 31, 18)) == ny(2091, 1, 1, 8)
    full = BusinessCalendar("UTC", every_day([(time(0), time(0))]))
    a, b = datetime(1990, 1, 1, tzinfo=UTC), datetime(2090, 1, 1, tzinfo=UTC)
    assert full.business_seconds_between(a, b) == (b - a).total_seconds()


@pytest.mark.parametrize("args, message", [
    (("Mars/Olympus_Mons", WEEKDAYS_OFFICE), "unknown time zone"),
    (("", WEEKDAYS_OFFICE), "IANA"),
    (("UTC", {7: OFFICE}), "weekday"),
    (("UTC", {-1: OFFICE}), "weekday"),
    (("UTC", {0: [(time(9), time(12)), (time(11), time(13))]}), "overlap"),
    (("UTC", {0: [(time(18), time(8))]}), "reversed"),
    (("UTC", {0: [(time(9), time(9))]}), "empty"),
    (("UTC", {0: [], 3: []}), "no working time"),
    (("UTC", {}), "no working time"),
    (("UTC", {0: [(time(9, tzinfo=UTC), time(12))]}), "naive"),
    (("UTC", WEEKDAYS_OFFICE, ["2024-07-04"]), "holidays"),
])
def test_bad_calendars_raise_value_error(args, message):
    with pytest.raises(ValueError, match=message):
        BusinessCalendar(*args)


def test_bad_arguments_raise_value_error():
    cal = BusinessCalendar("UTC", WEEKDAYS_OFFICE)
    naive = datetime(2024, 6, 3, 9)
    aware = naive.replace(tzinfo=UTC)
    for call in (lambda: cal.is_open(naive), lambda: cal.next_opening(naive),
                 lambda: cal.add_business_minutes(naive, 5),
                 lambda: cal.add_business_days(naive, 1),
                 lambda: cal.business_minutes_between(naive, aware),
                 lambda: cal.business_minutes_between(aware, naive)):
        with pytest.raises(ValueError, match="timezone-aware"):
            call()
    with pytest.raises(ValueError, match="minutes"):
        cal.add_business_minutes(aware, -1)
    with pytest.raises(ValueError, match="days"):
        cal.add_business_days(aware, -1)


def test_module_does_not_import_django():
    # A fresh interpreter, because this test process may have Django loaded.
    code = ("import sys, sla.businesstime; "
            "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


def test_microsecond_start_in_a_midnight_touching_day_round_trips():
    """Found by hypothesis: float noise made 27 minutes read as 26.999999999999968."""
    cal = BusinessCalendar("UTC", {3: [(time(0, 0), time(5, 0)), (time(22, 0), time(0, 0))]}, set())
    start = datetime(1970, 1, 1, 0, 0, 0, 4, tzinfo=UTC)
    assert cal.business_minutes_between(start, cal.add_business_minutes(start, 27)) == 27
