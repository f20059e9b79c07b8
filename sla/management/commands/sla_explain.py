"""`manage.py sla_explain CS-100042`: how each target of a case was computed, for staff answering
"why is this due then?"."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sla.clocks.display import milestone_state
from sla.models import Milestone, SupportCalendar
from sla.targets.calendars import weekly_hours_of
from sla.targets.deadlines import describe

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _when(value: Any, zone: str) -> str:
    if value is None:
        return "-"
    local = timezone.localtime(value, timezone=ZoneInfo(zone))
    return f"{value:%Y-%m-%d %H:%M} UTC ({local:%a %Y-%m-%d %H:%M %Z} local)"


def _hours(calendar: SupportCalendar) -> str:
    parts = []
    for day, intervals in sorted(weekly_hours_of(calendar).items()):
        spans = ", ".join(
            f"{s:%H:%M}-{'24:00' if e.hour == 0 and e.minute == 0 else f'{e:%H:%M}'}" for s, e in intervals
        )
        parts.append(f"{WEEKDAYS[day]} {spans}")
    return "; ".join(parts)


class Command(BaseCommand):
    help = "Explains how each SLA target of a case was computed."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("case_number")

    def handle(self, *args: Any, case_number: str, **options: Any) -> None:
        # The case model is reached through the milestone's own foreign key: sla never imports cases.
        # Typed Any for that reason: its fields are the case's, which sla cannot name.
        cases: Any = Milestone._meta.get_field("case").related_model._default_manager
        case = cases.select_related("account").filter(number=case_number).first()
        if case is None:
            raise CommandError(f"No case {case_number}.")
        now = timezone.now()
        out = self.stdout.write
        out(f"Case {case.number}: {case.subject}")
        out(f"  account {case.account} ({case.account.get_support_package_display()}), "
            f"severity {case.get_severity_display()}, status {case.get_status_display()}")
        out(f"  logged {_when(case.created_at, case.account.time_zone)}")
        milestones = Milestone.objects.filter(case=case).select_related("policy", "calendar").prefetch_related(
            "pauses", "calendar__custom_holidays").order_by("kind", "created_at", "id")
        for m in milestones:
            zone = m.calendar.time_zone
            state = milestone_state(m, now, case.is_open)
            head = "superseded" if m.superseded_at else state.label
            out("")
            out(f"{m.get_kind_display()} [{head}]")
            out(f"  policy      {m.policy.name}: severity {m.severity} -> {describe(m.unit, m.amount)}")
            out(f"  calendar    {m.calendar.name}, {zone}: {_hours(m.calendar)}"
                + (f"; public holidays of {m.calendar.holiday_country}" if m.calendar.holiday_country else "")
                + (f"; {m.calendar.custom_holidays.count()} custom holidays"
                   if m.calendar.custom_holidays.exists() else ""))
            out(f"  clock from  {_when(m.started_at, zone)}")
            for pause in m.pauses.all():
                out(f"  paused      {_when(pause.started_at, zone)} until {_when(pause.ended_at, zone)}")
            out(f"  target      {_when(m.target_at, zone)}")
            out(f"  warn at     {_when(m.warn_at, zone)} ({m.policy.warn_at_share:.0%} of the time)")
            if m.achieved_at:
                out(f"  met         {_when(m.achieved_at, zone)}")
            if m.breached_at:
                out(f"  breached    {_when(m.breached_at, zone)}")
            if m.superseded_at:
                out(f"  re-targeted {_when(m.superseded_at, zone)}: {m.superseded_reason}")
