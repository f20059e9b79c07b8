"""Business-time arithmetic for SLA deadlines, with no Django dependency.

A :class:`BusinessCalendar` knows a zone, weekly working hours in LOCAL wall
time, and holidays.  Working time is measured in real elapsed seconds between
the UTC instants at which the local clock reads an interval's start and end,
so daylight saving makes an interval that spans the shift one hour shorter
(spring) or longer (autumn).  Wall times skipped by a spring-forward gap map
to the instant of the jump; repeated autumn wall times map to their first
occurrence (fold=0).

Speed: each calendar keeps a table of its intervals as POSIX seconds plus a
running total of business seconds, built a local year at a time in either
direction when a query first needs it.  A query is then one conversion in,
one or two bisects, and one conversion out.  The table is replaced
copy-on-write (never mutated), so concurrent readers always see a consistent
snapshot without a lock; two threads racing to extend it merely duplicate a
little work.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sla.businesstime.tables import (
    MAX_YEAR,
    MIN_YEAR,
    build_year,
    load_zone,
    normalise_holidays,
    validate_week,
    wall_to_ts,
    year_start_ts,
)

TYPE_CHECKING = False
if TYPE_CHECKING:  # names for the type checker only; no extra runtime imports
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ["BusinessCalendar"]

# Far jumps (e.g. a 2090 query on a calendar used for 2025) start a new table
# instead of filling every year in between; also keeps the running totals
# small, which keeps float arithmetic on them exact to the microsecond.
_RESET_DISTANCE_YEARS = 20
# tzinfo classes whose utcoffset() never returns None for a datetime.
_KNOWN_AWARE = (ZoneInfo, timezone)


class _Table:
    """Immutable snapshot of a contiguous run of local years.

    ``starts``/``ends`` are the UTC instants of each interval, ``cum_end[i]``
    the business seconds accumulated at the end of interval i (relative to an
    arbitrary origin; only differences matter), ``ordinals`` each interval's
    working date.  Every instant in [lo_ts, hi_ts) has all intervals that could
    contain it inside the table.
    """

    __slots__ = ("lo_ts", "hi_ts", "starts", "ends", "cum_end", "ordinals",
                 "cum_lo", "cum_hi", "lo_year", "hi_year")

    def __init__(self, lo_ts: float, hi_ts: float, starts: list[float], ends: list[float],
                 cum_end: list[float], ordinals: list[int], cum_lo: float, cum_hi: float,
                 lo_year: int, hi_year: int) -> None:
        self.lo_ts = lo_ts
        self.hi_ts = hi_ts
        self.starts = starts
        self.ends = ends
        self.cum_end = cum_end
        self.ordinals = ordinals
        self.cum_lo = cum_lo
        self.cum_hi = cum_hi
        self.lo_year = lo_year
        self.hi_year = hi_year

    def position(self, x: float) -> float:
        """Business seconds elapsed at instant x (same origin as cum_end)."""
        i = bisect_right(self.starts, x) - 1
        if i < 0:
            return self.cum_lo
        end = self.ends[i]
        return self.cum_end[i] - (end - x) if x < end else self.cum_end[i]


# Before any query the table is an empty placeholder whose coverage test
# always fails, which keeps the "already covered?" check a single comparison.
_EMPTY = _Table(float("inf"), float("-inf"), [], [], [], [], 0.0, 0.0, 0, -1)


def _whole(value: float) -> int | float:
    # Whole results come back as int so callers can compare with ==.
    return int(value) if value.is_integer() else value


class BusinessCalendar:
    """Working hours of one site: zone, weekly local hours, holidays.

    ``weekly_hours`` maps weekday (0=Monday .. 6=Sunday) to (start, end) local
    times; an end of ``time(0)`` means midnight at the end of that day, so
    ``[(time(0), time(0))]`` is a full day.  An interval belongs to the date
    on which it starts, and a holiday removes that date's intervals.
    """

    def __init__(
        self,
        tz: str,
        weekly_hours: Mapping[int, Sequence[tuple[time, time]]],
        holidays: Iterable[date] = (),
    ) -> None:
        self.tz_name = tz
        self._zone: ZoneInfo = load_zone(tz)
        self._week = validate_week(weekly_hours)
        self._holidays = normalise_holidays(holidays)
        self._table = _EMPTY
        # For counting working dates arithmetically (add_business_days):
        # working weekdays per week, a prefix count by weekday, and the sorted
        # holidays that actually remove a working weekday.
        working = [bool(intervals) for intervals in self._week]
        self._per_week = sum(working)
        self._weekday_prefix = [sum(working[:r]) for r in range(8)]
        self._holiday_ordinals = sorted(
            day.toordinal() for day in self._holidays if working[day.weekday()]
        )

    def __repr__(self) -> str:
        return f"BusinessCalendar({self.tz_name!r}, {len(self._holidays)} holidays)"

    # ----------------------------------------------------------------- public

    def is_open(self, moment: datetime) -> bool:
        """True if moment lies in a working interval (start in, end out)."""
        x = self._ts(moment)
        t = self._table
        if not t.lo_ts <= x < t.hi_ts:
            t = self._cover(x, x)
        i = bisect_right(t.starts, x) - 1
        return i >= 0 and x < t.ends[i]

    def next_opening(self, moment: datetime) -> datetime:
        """moment itself (in the calendar's zone) if open, else the next start."""
        x = self._ts(moment)
        t = self._table
        if not t.lo_ts <= x < t.hi_ts:
            t = self._cover(x, x)
        i = bisect_right(t.starts, x) - 1
        if i >= 0 and x < t.ends[i]:
            return moment.astimezone(self._zone)
        while i + 1 >= len(t.starts):
            t = self._grow_forward(t)
        return datetime.fromtimestamp(t.starts[i + 1], self._zone)

    def add_business_minutes(self, start: datetime, minutes: int) -> datetime:
        """Earliest instant by which ``minutes`` of working time have elapsed
        since ``start`` (a closed start counts from the next opening).

        A deadline landing on a close is that close, not the next opening.
        ``minutes == 0`` returns ``start`` itself (converted to the calendar's
        zone), even when the calendar is closed then: nothing has to elapse.
        """
        if minutes < 0:
            raise ValueError(f"minutes must be >= 0, got {minutes!r}")
        # This is the SLA hot path, so _ts, _Table.position and _at_position
        # are inlined: each Python call costs about as much as a bisect.
        tzinfo = start.tzinfo
        if tzinfo is None or (type(tzinfo) not in _KNOWN_AWARE and tzinfo.utcoffset(start) is None):
            raise ValueError(f"expected a timezone-aware datetime, got {start!r}")
        if not minutes:
            return start.astimezone(self._zone)
        x = start.timestamp()
        t = self._table
        if not t.lo_ts <= x < t.hi_ts:
            t = self._cover(x, x)
        cum_end = t.cum_end
        i = bisect_right(t.starts, x) - 1
        if i < 0:
            position = t.cum_lo + minutes * 60
        else:
            end = t.ends[i]
            position = (cum_end[i] - (end - x) if x < end else cum_end[i]) + minutes * 60
        # Typical SLA spans end in the same or the next interval: probe those
        # two before paying for a bisect.
        j = i if i > 0 else 0
        last = len(cum_end) - 1
        if j < last and cum_end[j] < position:
            j += 1
            if cum_end[j] < position:
                j = bisect_left(cum_end, position, j)
        if j <= last and cum_end[j] >= position:
            return datetime.fromtimestamp(t.ends[j] - (cum_end[j] - position), self._zone)
        return self._at_position(t, position)

    def business_seconds_between(self, start: datetime, end: datetime) -> int | float:
        """Working seconds between two instants; negative if end < start."""
        a = self._ts(start)
        b = self._ts(end)
        t = self._table
        low, high = (a, b) if a <= b else (b, a)
        if not (t.lo_ts <= low and high < t.hi_ts):
            t = self._cover(low, high)
        # Positions are float seconds; rounding to the microsecond (datetime's own resolution)
        # removes representation noise such as 1619.999999999998 for 27 minutes.
        return _whole(round(t.position(b) - t.position(a), 6))

    def business_minutes_between(self, start: datetime, end: datetime) -> int | float:
        """Working minutes between two instants (seconds / 60)."""
        return _whole(self.business_seconds_between(start, end) / 60)

    def add_business_days(self, start: datetime, days: int) -> datetime:
        """``days`` working dates later, at the same local time of day.

        The start first moves to next_opening(start); call that m, its working
        date D and its local wall time T.  The target is T on the days-th
        working date after D, and the result is the earliest instant at which
        as much working time has elapsed since m as between m and the target.
        So Tue 10:00 + 1 = Wed 10:00 and Sat 10:00 + 1 = Monday's close.
        ``days == 0`` returns m.
        """
        if days < 0:
            raise ValueError(f"days must be >= 0, got {days!r}")
        x = self._ts(start)
        t = self._table
        if not t.lo_ts <= x < t.hi_ts:
            t = self._cover(x, x)
        i = bisect_right(t.starts, x) - 1
        if not (i >= 0 and x < t.ends[i]):
            i += 1
            while i >= len(t.starts):
                t = self._grow_forward(t)
            x = t.starts[i]
        if not days:
            return datetime.fromtimestamp(x, self._zone)
        target_day = date.fromordinal(self._nth_working_ordinal(t.ordinals[i], days))
        # fold=0: a time of day read in the repeated autumn hour must not carry
        # "second occurrence" over to the target date.
        time_of_day = datetime.fromtimestamp(x, self._zone).time().replace(fold=0)
        # No clamping into the target date's hours is needed: a time before its
        # first opening, after its last close or in a gap has the same elapsed
        # working time as the clamped one, and the earliest-instant rule below
        # maps both to the same deadline.
        target = wall_to_ts(self._zone, datetime.combine(target_day, time_of_day))
        if target >= t.hi_ts:
            t = self._cover(x, target)
        return self._at_position(t, t.position(target))

    # --------------------------------------------------------------- internals

    def _ts(self, moment: datetime) -> float:
        tzinfo = moment.tzinfo
        # timestamp() would silently read a naive datetime as the server's
        # local time, so naive input has to be refused before it.
        # Asking utcoffset() costs as much as the whole bisect, so only exotic
        # tzinfo classes (which may return None) are asked.
        if tzinfo is None or (type(tzinfo) not in _KNOWN_AWARE
                              and tzinfo.utcoffset(moment) is None):
            raise ValueError(f"expected a timezone-aware datetime, got {moment!r}")
        return moment.timestamp()

    def _at_position(self, t: _Table, position: float) -> datetime:
        # bisect_left picks the first interval whose running total reaches the
        # position, so a deadline equal to a close resolves to that close.
        j = bisect_left(t.cum_end, position)
        while j >= len(t.cum_end):
            t = self._grow_forward(t)
            j = bisect_left(t.cum_end, position, j)
        return datetime.fromtimestamp(t.ends[j] - (t.cum_end[j] - position), self._zone)

    def _nth_working_ordinal(self, ordinal: int, n: int) -> int:
        """Ordinal of the n-th working date after ``ordinal`` (n >= 1), counted
        arithmetically so large n costs a handful of bisects, not a day loop."""
        wanted = self._working_dates_through(ordinal) + n
        low = ordinal
        high = ordinal + 7 * n
        max_ordinal = date(MAX_YEAR, 12, 31).toordinal()
        while self._working_dates_through(high) < wanted:
            low = high
            high += 7 * (wanted - self._working_dates_through(high))
            if high > max_ordinal:
                raise ValueError("add_business_days result is beyond the supported date range")
        while high - low > 1:
            mid = (low + high) // 2
            if self._working_dates_through(mid) >= wanted:
                high = mid
            else:
                low = mid
        return high

    def _working_dates_through(self, ordinal: int) -> int:
        # Ordinal 1 (0001-01-01) is a Monday, so each block of 7 ordinals is a
        # full Monday..Sunday week.
        weeks, rest = divmod(ordinal, 7)
        return (weeks * self._per_week + self._weekday_prefix[rest]
                - bisect_right(self._holiday_ordinals, ordinal))

    def _year_of(self, x: float) -> int:
        try:
            year = datetime.fromtimestamp(x, self._zone).year
        except (OverflowError, OSError, ValueError) as exc:
            raise ValueError("instant is outside the supported date range") from exc
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"year {year} is outside the supported range {MIN_YEAR}..{MAX_YEAR}")
        return year

    def _cover(self, low: float, high: float) -> _Table:
        """A table covering [low, high], grown from (or replacing) the current."""
        t = self._table
        low_year = self._year_of(low)
        high_year = self._year_of(high)
        if (t is _EMPTY or low_year > t.hi_year + _RESET_DISTANCE_YEARS
                or high_year < t.lo_year - _RESET_DISTANCE_YEARS):
            t = self._fresh(low_year)
        while low < t.lo_ts:
            t = self._grow_back(t)
        while high >= t.hi_ts:
            t = self._grow_forward(t)
        self._table = t
        return t

    def _chunk(self, year: int) -> tuple[list[float], list[float], list[int]]:
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"business time beyond year {year} is not supported")
        return build_year(self._zone, self._week, self._holidays, year)

    def _fresh(self, year: int) -> _Table:
        starts, ends, ordinals = self._chunk(year)
        cum_end, total = _running(0.0, starts, ends)
        return _Table(year_start_ts(self._zone, year), year_start_ts(self._zone, year + 1),
                      starts, ends, cum_end, ordinals, 0.0, total, year, year)

    def _grow_forward(self, t: _Table) -> _Table:
        year = t.hi_year + 1
        starts, ends, ordinals = self._chunk(year)
        cum_end, total = _running(t.cum_hi, starts, ends)
        grown = _Table(t.lo_ts, year_start_ts(self._zone, year + 1), t.starts + starts,
                       t.ends + ends, t.cum_end + cum_end, t.ordinals + ordinals,
                       t.cum_lo, total, t.lo_year, year)
        self._table = grown
        return grown

    def _grow_back(self, t: _Table) -> _Table:
        year = t.lo_year - 1
        starts, ends, ordinals = self._chunk(year)
        # Count down from the old origin so the seam with the existing rows is
        # exact even when interval lengths are not whole seconds.
        cum_end: list[float] = []
        total = t.cum_lo
        for start, end in zip(reversed(starts), reversed(ends), strict=False):
            cum_end.append(total)
            total -= end - start
        cum_end.reverse()
        base = total
        grown = _Table(year_start_ts(self._zone, year), t.hi_ts, starts + t.starts,
                       ends + t.ends, cum_end + t.cum_end, ordinals + t.ordinals,
                       base, t.cum_hi, year, t.hi_year)
        self._table = grown
        return grown


def _running(base: float, starts: list[float], ends: list[float]) -> tuple[list[float], float]:
    cum_end: list[float] = []
    total = base
    for start, end in zip(starts, ends, strict=False):
        total += end - start
        cum_end.append(total)
    return cum_end, total
