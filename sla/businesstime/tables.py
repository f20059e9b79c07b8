"""Building blocks for :mod:`sla.businesstime`: calendar validation and the
per-year tables of UTC working intervals.

Kept apart from the public class so the hot query paths stay short to read;
nothing here imports Django, and only ``datetime``/``zoneinfo`` at run time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TYPE_CHECKING = False
if TYPE_CHECKING:  # names for the type checker only; no extra runtime imports
    from collections.abc import Iterable, Mapping, Sequence

# A validated local interval: (start, end, end_is_next_midnight).  The flag
# exists because time(0) as an end means "24:00", which ``time`` cannot hold.
LocalInterval = tuple[time, time, bool]
# A year's worth of working intervals as parallel lists, so the caller can
# splice them into its bisect tables without reshaping.
YearChunk = tuple[list[float], list[float], list[int]]

_ONE_DAY = timedelta(days=1)
_MIDNIGHT = time(0)
# Years whose neighbours still fit in ``datetime``: building a year touches
# 1 January of the following year.
MIN_YEAR = 2
MAX_YEAR = 9998


def load_zone(tz: str) -> ZoneInfo:
    """Resolve an IANA name, turning zoneinfo's KeyError family into ValueError
    so callers see one exception type for every bad argument."""
    if not isinstance(tz, str) or not tz:
        raise ValueError(f"tz must be a non-empty IANA zone name, got {tz!r}")
    try:
        return ZoneInfo(tz)
    except (KeyError, ValueError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ValueError(f"unknown time zone {tz!r}") from exc


def _day_offset_us(value: time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond


def validate_week(
    weekly_hours: Mapping[int, Sequence[tuple[time, time]]],
) -> tuple[tuple[LocalInterval, ...], ...]:
    """Return a 7-tuple (Monday first) of sorted, checked local intervals."""
    if not callable(getattr(weekly_hours, "items", None)):
        raise ValueError("weekly_hours must be a mapping of weekday -> [(start, end), ...]")
    week: list[tuple[LocalInterval, ...]] = [()] * 7
    for weekday, intervals in weekly_hours.items():
        # bool is an int subclass; True as a weekday is almost surely a bug.
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValueError(f"weekday keys must be ints 0 (Monday) .. 6 (Sunday), got {weekday!r}")
        checked: list[tuple[int, int, LocalInterval]] = []
        for pair in intervals:
            try:
                start, end = pair
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"weekday {weekday}: expected (start, end) pairs, got {pair!r}"
                ) from exc
            for value in (start, end):
                if not isinstance(value, time) or value.tzinfo is not None:
                    raise ValueError(
                        f"weekday {weekday}: interval bounds must be naive datetime.time, "
                        f"got {value!r}"
                    )
            start_us = _day_offset_us(start)
            to_midnight = end == _MIDNIGHT
            end_us = 86_400_000_000 if to_midnight else _day_offset_us(end)
            if start_us >= end_us:
                raise ValueError(
                    f"weekday {weekday}: interval {start.isoformat()}-{end.isoformat()} is "
                    "empty or reversed (use time(0) as the end for midnight)"
                )
            bounds = (start.replace(fold=0), end.replace(fold=0), to_midnight)
            checked.append((start_us, end_us, bounds))
        checked.sort(key=lambda item: item[0])
        for (_, prev_end, prev), (next_start, _, nxt) in zip(checked, checked[1:], strict=False):
            if next_start < prev_end:
                raise ValueError(
                    f"weekday {weekday}: intervals {prev[0].isoformat()}-{prev[1].isoformat()} and "
                    f"{nxt[0].isoformat()}-{nxt[1].isoformat()} overlap"
                )
        week[weekday] = tuple(item[2] for item in checked)
    if not any(week):
        raise ValueError("weekly_hours has no working time on any weekday")
    return tuple(week)


def normalise_holidays(holidays: Iterable[date]) -> frozenset[date]:
    result: set[date] = set()
    for day in holidays:
        if isinstance(day, datetime):
            # A datetime is a date subclass but hashes differently; keep its day.
            day = day.date()
        elif not isinstance(day, date):
            raise ValueError(f"holidays must be datetime.date values, got {day!r}")
        result.add(day)
    return frozenset(result)


def wall_to_ts(zone: ZoneInfo, wall: datetime) -> float:
    """POSIX seconds of the first instant at which the local clock reads ``wall``
    or later: fold=0 for repeated (fall-back) times, the jump instant for
    times skipped by a spring-forward gap."""
    candidate = wall.replace(tzinfo=zone, fold=0).timestamp()
    if datetime.fromtimestamp(candidate, zone).replace(tzinfo=None) == wall:
        return candidate
    # In a gap fold=0 uses the pre-transition offset (an instant after the
    # jump) and fold=1 the post-transition one (an instant before it); the jump
    # lies between.  Bisect on whole microseconds so we land exactly on it
    # whatever the zone's transition rule.
    low = round(wall.replace(tzinfo=zone, fold=1).timestamp() * 1_000_000)
    high = round(candidate * 1_000_000)
    while high - low > 1:
        mid = (low + high) // 2
        if datetime.fromtimestamp(mid / 1_000_000, zone).replace(tzinfo=None) >= wall:
            high = mid
        else:
            low = mid
    return high / 1_000_000


def build_year(
    zone: ZoneInfo,
    week: tuple[tuple[LocalInterval, ...], ...],
    holidays: frozenset[date],
    year: int,
) -> YearChunk:
    """UTC (start, end, working-date ordinal) of every interval whose working
    date falls in ``year``, in time order."""
    starts: list[float] = []
    ends: list[float] = []
    ordinals: list[int] = []
    day = date(year, 1, 1)
    stop = date(year + 1, 1, 1)
    while day < stop:
        intervals = week[day.weekday()]
        if intervals and day not in holidays:
            next_day = day + _ONE_DAY
            for start, end, to_midnight in intervals:
                opening = wall_to_ts(zone, datetime.combine(day, start))
                closing = wall_to_ts(zone, datetime.combine(next_day if to_midnight else day, end))
                # A spring-forward gap can swallow an interval whole (e.g.
                # 02:00-03:00 in New York); zero-length rows would break the
                # strictly increasing cumulative column that bisect relies on.
                if closing > opening:
                    starts.append(opening)
                    ends.append(closing)
                    ordinals.append(day.toordinal())
        day += _ONE_DAY
    return starts, ends, ordinals


def year_start_ts(zone: ZoneInfo, year: int) -> float:
    """Table coverage boundary: working intervals of dates in ``year`` lie in
    [year_start_ts(year), year_start_ts(year + 1)]."""
    return wall_to_ts(zone, datetime(year, 1, 1))
