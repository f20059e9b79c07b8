"""Brute-force reference for tests/sla/businesstime/test_businesstime.py, plus the
hypothesis strategies that feed it.

The ORACLE steps one UTC minute at a time and checks the local wall clock
against the weekly hours and holidays.  Only minute-aligned starts on
minute-aligned calendars are used, so it is exact.  Its one DST subtlety:
working time is defined by the instants at which the clock FIRST reads an
interval's start and end (autumn's repeated hour counts as the first
occurrence, spring's skipped wall times as the jump).  Stepping minute by
minute, that is the same as judging each minute by the highest wall time the
clock has shown so far (its "high-water mark"): during the repeated hour the
high-water mark stays at the pre-transition reading.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

UTC = UTC
MINUTE = timedelta(minutes=1)
ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
         "America/St_Johns", "UTC"]
OFFICE = [(time(8), time(18))]
Weekly = dict[int, list[tuple[time, time]]]
Scenario = tuple[str, Weekly, set[date], datetime]


# --------------------------------------------------------------------- oracle

class Oracle:
    """Minute-stepping reference for one calendar, lazily extended from origin."""

    # The high-water mark needs the clock's readings shortly before the first
    # queried minute; no zone used here repeats more than an hour.
    WARMUP = timedelta(hours=3)

    def __init__(self, tz: str, weekly: Weekly, holidays: set[date], origin: datetime) -> None:
        self.zone = ZoneInfo(tz)
        self.weekly = weekly
        self.holidays = holidays
        self.origin = origin.astimezone(UTC) - self.WARMUP
        self.flags: list[bool] = []
        self.marks: list[datetime] = []  # high-water wall time at each minute
        self.high = datetime.min

    def wall_open(self, wall: datetime) -> bool:
        if wall.date() in self.holidays:
            return False
        moment = wall.time()
        return any(start <= moment and (end == time(0) or moment < end)
                   for start, end in self.weekly.get(wall.weekday(), []))

    def index(self, moment: datetime) -> int:
        steps, rest = divmod(moment - self.origin, MINUTE)
        assert not rest and steps >= 0, "oracle needs minute-aligned instants after its origin"
        return steps

    def instant(self, k: int) -> datetime:
        return self.origin + k * MINUTE

    def _extend(self, k: int) -> None:
        assert k < 400_000, "oracle stepped too far: keep the test domain small"
        while len(self.flags) <= k:
            wall = self.instant(len(self.flags)).astimezone(self.zone).replace(tzinfo=None)
            self.high = max(self.high, wall)
            self.marks.append(self.high)
            self.flags.append(self.wall_open(self.high))

    def open(self, k: int) -> bool:
        self._extend(k)
        return self.flags[k]

    def mark(self, k: int) -> datetime:
        self._extend(k)
        return self.marks[k]

    def is_open(self, moment: datetime) -> bool:
        return self.open(self.index(moment))

    def next_opening(self, moment: datetime) -> datetime:
        k = self.index(moment)
        while not self.open(k):
            k += 1
        return self.instant(k)

    def add_minutes(self, moment: datetime, minutes: int) -> datetime:
        k = self.index(moment)
        done = 0
        while done < minutes:
            done += self.open(k)
            k += 1
        return self.instant(k)

    def minutes_between(self, a: datetime, b: datetime) -> int:
        first, last = self.index(a), self.index(b)
        if last < first:  # compare indices: == / < ignore fold within one zone
            return -self.minutes_between(b, a)
        return sum(self.open(k) for k in range(first, last))

    def add_days(self, moment: datetime, days: int) -> datetime:
        start = self.next_opening(moment)
        if days == 0:
            return start
        k = self.index(start)
        working_date = self.mark(k).date()
        time_of_day = start.astimezone(self.zone).time().replace(fold=0)
        day, found = working_date, 0
        while found < days:
            day += timedelta(days=1)
            found += bool(self.weekly.get(day.weekday())) and day not in self.holidays
        target = self.clamp(day, time_of_day)
        j = k
        while self.mark(j) < target:
            j += 1
        return self.add_minutes(start, self.minutes_between(start, self.instant(j)))

    def clamp(self, day: date, moment: time) -> datetime:
        """Local wall target: ``moment`` on ``day`` moved into its working hours."""
        bounds = [(datetime.combine(day, s),
                   datetime.combine(day + timedelta(days=1) if e == time(0) else day, e))
                  for s, e in sorted(self.weekly[day.weekday()])]
        wanted = datetime.combine(day, moment)
        for start, end in bounds:
            if wanted < start:
                return start  # before the first opening, or in a gap
            if wanted < end:
                return wanted
        return bounds[-1][1]  # after the last close


# ----------------------------------------------------------------- strategies

@cache
def transitions(tz: str) -> tuple[datetime, ...]:
    """UTC instants of the zone's offset changes in 2016-2030 (for DST-heavy starts)."""
    zone = ZoneInfo(tz)
    found: list[datetime] = []
    day = datetime(2016, 1, 1, tzinfo=UTC)
    while day.year < 2031:
        nxt = day + timedelta(days=1)
        if day.astimezone(zone).utcoffset() != nxt.astimezone(zone).utcoffset():
            low, high = day, nxt
            while high - low > MINUTE:
                mid = low + (high - low) / 2
                mid -= timedelta(seconds=mid.second, microseconds=mid.microsecond)
                if mid == low:
                    break
                if mid.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = mid
                else:
                    high = mid
            found.append(high)
        day = nxt
    return tuple(found)


# Intervals around the hours where the tested zones change clocks; half-hour
# bounds fall inside a spring gap or an autumn repeat, whole hours on its edge.
DST_HOURS = [(time(0), time(6)), (time(1), time(3)), (time(1, 30), time(2, 30)),
             (time(2), time(3)), (time(0), time(1, 30)), (time(2, 30), time(5)),
             (time(1, 30), time(4)), (time(0), time(2, 30)), (time(0, 30), time(1)),
             (time(3), time(0))]


def half_hour(k: int) -> time:
    return time(0) if k == 48 else time(k // 2, 30 * (k % 2))


@st.composite
def day_hours(draw: st.DrawFn) -> list[tuple[time, time]]:
    kind = draw(st.sampled_from(["off", "office", "full", "dst", "night", "random", "random"]))
    if kind == "off":
        return []
    if kind == "office":
        return list(OFFICE)
    if kind == "full":
        return [(time(0), time(0))]
    if kind == "dst":  # the hours where clocks change in the tested zones
        return [draw(st.sampled_from(DST_HOURS))]
    if kind == "night":  # touches midnight on both sides
        return [(time(0), time(5)), (time(22), time(0))]
    points = sorted(draw(st.sets(st.integers(0, 48), min_size=2, max_size=6)))
    if len(points) % 2:
        points = points[:-1]
    return [(half_hour(a), half_hour(b)) for a, b in zip(points[::2], points[1::2], strict=False)]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    tz = draw(st.sampled_from(ZONES))
    weekly = {day: hours for day in range(7) if (hours := draw(day_hours(), label=f"day{day}"))}
    if not weekly:
        weekly = {0: list(OFFICE)}
    near = transitions(tz)
    if near and draw(st.booleans()):
        shift = draw(st.sampled_from(near))
        start = shift + draw(st.integers(-3 * 1440, 3 * 1440)) * MINUTE
        if draw(st.booleans()):  # make the shift day's own hours straddle the shift
            weekly[shift.astimezone(ZoneInfo(tz)).weekday()] = [draw(st.sampled_from(DST_HOURS))]
    else:
        start = datetime(2016, 1, 1, tzinfo=UTC) + draw(st.integers(0, 14 * 365 * 1440)) * MINUTE
    local_day = start.astimezone(ZoneInfo(tz)).date()
    offsets = draw(st.sets(st.integers(-2, 21), max_size=4))
    holidays = {local_day + timedelta(days=k) for k in offsets}
    # Show the start in the calendar's zone or in UTC: both must work.
    if draw(st.booleans()):
        start = start.astimezone(ZoneInfo(tz))
    return tz, weekly, holidays, start


def instant(moment: datetime) -> datetime:
    """UTC view for comparisons: == between zones is False for any time in a
    DST fold (PEP 495), even when the instants are equal."""
    return moment.astimezone(UTC)


def weekly_minutes(weekly: Weekly) -> int:
    def minutes(t: time) -> int:
        return t.hour * 60 + t.minute
    return sum((minutes(e) or 1440) - minutes(s) for hours in weekly.values() for s, e in hours)
