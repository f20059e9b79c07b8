"""Maintenance window occurrences (Support Guide 3, Table 2): pure, no Django.

`next_occurrences` is pure (no database): it builds each window's start and end as LOCAL wall times
in the rule's zone with zoneinfo and converts them to UTC, so a 00:00-05:00 US Eastern window lasts
4 real hours on the spring-forward Sunday and 6 on the fall-back Sunday, and always starts at 00:00
on the local clock. A window whose end is at or before its start crosses midnight: it belongs to the
day it starts and ends on the next local day (Premier Edition Tue 22:00 -> Wed 05:00 is Tuesday's).

Daylight-saving edge cases follow RFC 5545 section 3.3.5, as calendar apps do:
- a wall time that does not exist (spring-forward gap) is read with the offset in force BEFORE the
  gap, i.e. moved forward by the gap's length (02:30 on the US change day is 03:30 EDT);
- a wall time that happens twice (fall-back fold) means its FIRST occurrence (fold=0).
A window that would come out empty or negative after that adjustment is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_SEARCH_DAYS = 7 * 400  # safety net: a rule with no weekdays never loops forever


@dataclass(frozen=True)
class WindowRule:
    weekdays: frozenset[int]  # 0 = Monday ... 6 = Sunday: the day the window STARTS on
    start: time
    end: time  # at or before start: the window ends on the next local day
    zone: ZoneInfo


@dataclass(frozen=True)
class Occurrence:
    start: datetime  # UTC
    end: datetime  # UTC
    local_day: date  # the local date the window belongs to (the day it starts)


def _local_to_utc(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """RFC 5545 3.3.5: fold=0 gives the first of two repeated times and, for a time inside a gap,
    the offset before the gap."""
    return datetime.combine(day, wall).replace(tzinfo=zone, fold=0).astimezone(UTC)


def occurrence_on(rule: WindowRule, day: date) -> Occurrence | None:
    """The window starting on local `day`, whatever its weekday; None if DST leaves it empty."""
    crosses_midnight = rule.end <= rule.start
    end_day = day + timedelta(days=1) if crosses_midnight else day
    start = _local_to_utc(day, rule.start, rule.zone)
    end = _local_to_utc(end_day, rule.end, rule.zone)
    if end <= start:
        return None
    return Occurrence(start=start, end=end, local_day=day)


def iter_occurrences(rule: WindowRule, *, after: datetime) -> Iterator[Occurrence]:
    """Occurrences in order that have not ended at `after` (one in progress is included)."""
    if after.tzinfo is None:
        raise ValueError("after must be timezone-aware")
    if not rule.weekdays:
        return
    # Start a day early: yesterday's window may cross midnight and still be running.
    day = after.astimezone(rule.zone).date() - timedelta(days=1)
    for offset in range(MAX_SEARCH_DAYS):
        current = day + timedelta(days=offset)
        if current.weekday() not in rule.weekdays:
            continue
        occurrence = occurrence_on(rule, current)
        if occurrence is not None and occurrence.end > after:
            yield occurrence


def next_occurrences(rule: WindowRule, *, after: datetime, count: int | None = None,
                     until: datetime | None = None) -> list[Occurrence]:
    """The next `count` occurrences (and/or those starting before `until`) from the instant `after`."""
    if count is None and until is None:
        raise ValueError("give count, until or both")
    found: list[Occurrence] = []
    for occurrence in iter_occurrences(rule, after=after):
        if until is not None and occurrence.start >= until:
            break
        found.append(occurrence)
        if count is not None and len(found) >= count:
            break
    return found
