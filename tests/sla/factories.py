"""Factories for the SLA app's own rows. Policies and targets are NOT built here: the Support
Guide's Table 1 is loaded by the data migration sla/0002, and tests reuse those rows."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from sla.models import CustomHoliday, SlaPolicy, SupportCalendar

WEEKDAYS_08_18 = {str(day): [["08:00", "18:00"]] for day in range(5)}
ROUND_THE_CLOCK = {str(day): [["00:00", "24:00"]] for day in range(7)}

# The data-migrated policy codes, by support package value.
POLICY_CODES = {
    "care": "care-for-cloud",
    "business_care": "business-care-for-cloud",
    "pure_success": "pure-success",
}


class SupportCalendarFactory(DjangoModelFactory):
    """Mon-Fri 08:00-18:00 London, no public holidays, unless told otherwise."""

    class Meta:
        model = SupportCalendar

    name = factory.Sequence(lambda n: f"Test calendar {n}")
    time_zone = "Europe/London"
    weekly_hours = factory.LazyFunction(lambda: {day: [list(span) for span in spans]
                                                 for day, spans in WEEKDAYS_08_18.items()})
    holiday_country = ""
    holiday_subdivision = ""


class RoundTheClockCalendarFactory(SupportCalendarFactory):
    """24x7 in UTC: business time equals wall-clock time, so expectations need no calendar."""

    name = factory.Sequence(lambda n: f"24x7 calendar {n}")
    time_zone = "UTC"
    weekly_hours = factory.LazyFunction(lambda: {day: [list(span) for span in spans]
                                                 for day, spans in ROUND_THE_CLOCK.items()})


class CustomHolidayFactory(DjangoModelFactory):
    """Create holidays BEFORE the calendar is first used: sla.targets.calendars caches built calendars."""

    class Meta:
        model = CustomHoliday

    calendar = factory.SubFactory(SupportCalendarFactory)
    date = date(2025, 3, 17)
    name = "Company day"


def policy(code: str) -> SlaPolicy:
    """One of the data-migrated policies, by code or by support package value."""
    return SlaPolicy.objects.get(code=POLICY_CODES.get(code, code))


def case_logged_at(created_at, *, calendar, package="business_care", severity=2, reseller=None):  # type: ignore[no-untyped-def]
    """A stored case logged at a chosen instant, with its milestones started as case_create does.

    case_create stamps timezone.now(); to get deterministic deadlines the case is built, its
    created_at set, and sla.clocks.services.milestones_start (what case_create calls) run on it.
    """
    from cases.models import Case
    from sla.clocks.services import milestones_start
    from tests.cases.factories import CaseFactory
    from tests.portal.factories import EndUserAccountFactory

    account_kwargs = {"support_package": package, "calendar": calendar, "time_zone": calendar.time_zone}
    if reseller is not None:
        account_kwargs["reseller"] = reseller
    account = EndUserAccountFactory(**account_kwargs)
    case = CaseFactory(account=account, priority=2 if severity == 1 else severity, severity=severity)
    Case.objects.filter(pk=case.pk).update(created_at=created_at)
    case.refresh_from_db()
    milestones_start(case=case)
    return case
