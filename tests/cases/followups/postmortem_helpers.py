"""Shared set-up for the post-mortem and incident report tests."""

from __future__ import annotations

from datetime import UTC, datetime

from cases.followups import services as postmortems
from cases.models import PostMortem
from tests.cases.factories import CaseFactory
from tests.portal.factories import EndUserAccountFactory
from tests.sla.factories import CustomHolidayFactory, SupportCalendarFactory

# Monday 17 March 2025 is the calendar's custom holiday; London is on GMT (UTC+0) until 30 March.
HOLIDAY = datetime(2025, 3, 17).date()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def london_calendar_with_holiday():  # type: ignore[no-untyped-def]
    calendar = SupportCalendarFactory(time_zone="Europe/London")
    CustomHolidayFactory(calendar=calendar, date=HOLIDAY, name="Company day")
    return calendar


def resolved_case(*, staff, reseller, severity: int, resolved_at: datetime, calendar=None):  # type: ignore[no-untyped-def]
    calendar = calendar or london_calendar_with_holiday()
    account = EndUserAccountFactory(reseller=reseller, calendar=calendar, time_zone=calendar.time_zone)
    case = CaseFactory(account=account, priority=2 if severity == 1 else severity,
                       severity=severity)
    post_mortem = postmortems.case_record_service_resolution(case=case, actor=staff, at=resolved_at)
    return case, post_mortem


def held_post_mortem(*, staff, reseller, meeting_at: datetime, severity: int = 2) -> PostMortem:  # type: ignore[no-untyped-def]
    _, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=severity,
                                   resolved_at=utc(2025, 3, 10, 9, 0))
    postmortems.postmortem_schedule(post_mortem=post_mortem, actor=staff, meeting_at=meeting_at,
                                    location="Video call")
    return postmortems.postmortem_complete(
        post_mortem=post_mortem, actor=staff, minutes="We walked through the outage.",
        root_cause_analysis="Failover script bug." if severity == 1 else "",
    )
