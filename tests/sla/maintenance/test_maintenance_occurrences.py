"""Support Guide Table 2 as loaded, and the pure occurrence computation across DST and midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from portal.models import CloudService
from sla.maintenance.models import MaintenanceRule
from sla.maintenance.services import WindowRule, next_occurrences, occurrence_on, window_rule
from tests.portal.factories import EndUserAccountFactory

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
TUE, WED, THU, SUN = 1, 2, 3, 6


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def rule_of(code: str, weekdays: list[int]) -> MaintenanceRule:
    return next(rule for rule in MaintenanceRule.objects.filter(service__code=code) if rule.weekdays == weekdays)


@pytest.mark.django_db
def test_table_2_is_loaded_exactly():
    loaded = {
        (rule.service.code, tuple(rule.weekdays), rule.start_time, rule.end_time, rule.time_zone,
         rule.in_end_user_time, rule.is_active)
        for rule in MaintenanceRule.objects.select_related("service")
    }
    eastern = "America/New_York"
    assert loaded == {
        ("outbound-engagement", (TUE, THU), time(0), time(3), eastern, False, True),
        ("outbound-engagement", (SUN,), time(0), time(5), eastern, False, True),
        ("premier-edition", (TUE, WED, THU), time(22), time(5), eastern, False, True),
        ("pureengage-cloud", (TUE, THU), time(0), time(6), "", True, True),
        ("genesys-social-analytics", (TUE, WED, THU), time(22), time(5), eastern, False, True),
    }
    assert MaintenanceRule.objects.count() == 5
    assert not MaintenanceRule.objects.filter(service__code="genesys-cloud-cx").exists()
    assert CloudService.objects.get(code="premier-edition").maintenance_rules.count() == 1


def test_outbound_sunday_window_across_the_march_2026_spring_forward():
    rule = WindowRule(weekdays=frozenset({SUN}), start=time(0), end=time(5), zone=NY)
    before, change, after = next_occurrences(rule, after=utc(2026, 3, 1, 0), count=3)
    assert (before.start, before.end) == (utc(2026, 3, 1, 5), utc(2026, 3, 1, 10))  # EST: 5 h
    assert (change.start, change.end) == (utc(2026, 3, 8, 5), utc(2026, 3, 8, 9))  # 00:00 EST-05:00 EDT: 4 h
    assert (after.start, after.end) == (utc(2026, 3, 15, 4), utc(2026, 3, 15, 9))  # EDT: 5 h
    for occurrence in (before, change, after):
        assert occurrence.start.astimezone(NY).time() == time(0)
        assert occurrence.end.astimezone(NY).time() == time(5)


def test_outbound_sunday_window_across_the_november_2026_fall_back():
    rule = WindowRule(weekdays=frozenset({SUN}), start=time(0), end=time(5), zone=NY)
    before, change, after = next_occurrences(rule, after=utc(2026, 10, 25, 0), count=3)
    assert (before.start, before.end) == (utc(2026, 10, 25, 4), utc(2026, 10, 25, 9))
    assert (change.start, change.end) == (utc(2026, 11, 1, 4), utc(2026, 11, 1, 10))  # 6 real hours
    assert (after.start, after.end) == (utc(2026, 11, 8, 5), utc(2026, 11, 8, 10))


def test_premier_crosses_midnight_and_belongs_to_the_day_it_starts():
    rule = WindowRule(weekdays=frozenset({TUE, WED, THU}), start=time(22), end=time(5), zone=NY)
    # From Monday 2 March 2026: Tuesday's, Wednesday's and Thursday's windows, then next Tuesday's.
    found = next_occurrences(rule, after=utc(2026, 3, 2, 12), count=4)
    assert [o.local_day for o in found] == [date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5), date(2026, 3, 10)]
    tuesday = found[0]
    assert tuesday.start == utc(2026, 3, 4, 3)  # Tue 22:00 EST
    assert tuesday.end == utc(2026, 3, 4, 10)  # Wed 05:00 EST
    assert tuesday.start.astimezone(NY).weekday() == TUE
    assert tuesday.end.astimezone(NY).weekday() == WED
    # No window starts on Friday although Thursday's ends on Friday morning.
    assert found[2].end.astimezone(NY).date() == date(2026, 3, 6)
    # After the spring-forward the same wall times are an hour earlier in UTC.
    assert (found[3].start, found[3].end) == (utc(2026, 3, 11, 2), utc(2026, 3, 11, 9))


def test_a_window_in_progress_is_included_and_still_tuesdays():
    rule = WindowRule(weekdays=frozenset({TUE, WED, THU}), start=time(22), end=time(5), zone=NY)
    wednesday_2am = datetime(2026, 3, 4, 2, tzinfo=NY)
    first = next_occurrences(rule, after=wednesday_2am, count=1)[0]
    assert first.local_day == date(2026, 3, 3)
    assert first.start < wednesday_2am < first.end


def test_pureengage_follows_a_london_account_around_the_last_sunday_of_march():
    rule = WindowRule(weekdays=frozenset({TUE, THU}), start=time(0), end=time(6), zone=LONDON)
    found = next_occurrences(rule, after=utc(2026, 3, 24, 12), until=utc(2026, 4, 3))
    assert [(o.start, o.end) for o in found] == [
        (utc(2026, 3, 26, 0), utc(2026, 3, 26, 6)),  # Thu 26 March, GMT
        (utc(2026, 3, 30, 23), utc(2026, 3, 31, 5)),  # Tue 31 March, BST (clocks went forward on the 29th)
        (utc(2026, 4, 1, 23), utc(2026, 4, 2, 5)),  # Thu 2 April, BST
    ]


@pytest.mark.django_db
def test_pureengage_rule_uses_the_accounts_time_zone_and_others_us_eastern():
    account = EndUserAccountFactory(time_zone="Europe/London")
    pure = window_rule(rule_of("pureengage-cloud", [TUE, THU]), account)
    premier = window_rule(rule_of("premier-edition", [TUE, WED, THU]), account)
    assert pure.zone == LONDON
    assert premier.zone == NY


def test_spring_forward_gap_is_read_with_the_offset_before_the_gap():
    """RFC 5545 3.3.5: 02:30 does not exist on 8 March 2026 in New York; it means 03:30 EDT."""
    rule = WindowRule(weekdays=frozenset({SUN}), start=time(2, 30), end=time(4), zone=NY)
    occurrence = occurrence_on(rule, date(2026, 3, 8))
    assert occurrence is not None
    assert occurrence.start == utc(2026, 3, 8, 7, 30)
    assert occurrence.end == utc(2026, 3, 8, 8)


def test_a_window_emptied_by_the_gap_is_skipped():
    rule = WindowRule(weekdays=frozenset({SUN}), start=time(2, 30), end=time(3), zone=NY)
    assert occurrence_on(rule, date(2026, 3, 8)) is None  # 03:30 EDT to 03:00 EDT
    assert all(o.local_day != date(2026, 3, 8) for o in next_occurrences(rule, after=utc(2026, 3, 1), count=3))


def test_fall_back_fold_means_the_first_occurrence():
    rule = WindowRule(weekdays=frozenset({SUN}), start=time(1, 30), end=time(3), zone=NY)
    occurrence = occurrence_on(rule, date(2026, 11, 1))
    assert occurrence is not None
    assert occurrence.start == utc(2026, 11, 1, 5, 30)  # 01:30 EDT, the first of the two
    assert occurrence.end == utc(2026, 11, 1, 8)  # 03:00 EST


def test_count_and_until_and_bad_input():
    rule = WindowRule(weekdays=frozenset({TUE, THU}), start=time(0), end=time(3), zone=NY)
    assert len(next_occurrences(rule, after=utc(2026, 1, 1), count=10)) == 10
    assert len(next_occurrences(rule, after=utc(2026, 1, 1), until=utc(2026, 1, 15))) == 4
    empty = WindowRule(weekdays=frozenset(), start=time(0), end=time(3), zone=NY)
    assert next_occurrences(empty, after=utc(2026, 1, 1), count=3) == []
    with pytest.raises(ValueError):
        next_occurrences(rule, after=datetime(2026, 1, 1), count=1)  # naive
    with pytest.raises(ValueError):
        next_occurrences(rule, after=utc(2026, 1, 1))
