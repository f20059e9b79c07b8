"""SLA milestones: created on submission, achieved, stopped, re-targeted, paused, and alerted.

Deterministic instants are passed explicitly wherever the code accepts them. Where cases.intake.services
stamps timezone.now(), expectations come from a 24x7 UTC calendar set on the account (business time
equals wall-clock time there, so a target is created_at + N minutes/hours/days, computed by hand),
or from instants bracketing the call.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from cases.escalation.services import case_change_severity
from cases.intake import services
from cases.intake.clocks import clocks_follow_status
from cases.models import Status
from portal.models import EndUserAccount, SupportPackage
from sla.alerts import sweep as alerts
from sla.clocks.services import (
    milestone_achieve,
    milestones_retarget,
    milestones_start,
)
from sla.models import Milestone, MilestoneAlert, MilestonePause, SlaPolicy, SupportCalendar
from sla.targets.calendars import business_calendar
from sla.targets.deadlines import deadline
from tests.cases.factories import CaseFactory
from tests.portal.factories import EndUserAccountFactory
from tests.sla.factories import (
    CustomHolidayFactory,
    RoundTheClockCalendarFactory,
    SupportCalendarFactory,
    case_logged_at,
    policy,
)
from tests.sla.targets.test_table1 import CELL, TABLE_1

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
KINDS = ("response", "restoration", "resolution")
PACKAGES = [
    (SupportPackage.CARE, "Care for Cloud"),
    (SupportPackage.BUSINESS_CARE, "Business Care for Cloud"),
    (SupportPackage.PURE_SUCCESS, "Pure Success"),
]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def current(case, kind: str) -> Milestone:  # type: ignore[no-untyped-def]
    return Milestone.objects.current().get(case=case, kind=kind)


def rows(case, kind: str) -> list[Milestone]:  # type: ignore[no-untyped-def]
    return list(Milestone.objects.filter(case=case, kind=kind).order_by("created_at", "id"))


def round_the_clock_target(start: datetime, unit: str, amount: int) -> datetime | None:
    """On a 24x7 UTC calendar every unit is plain elapsed time."""
    if unit == "none":
        return None
    if unit == "business_days":
        return start + timedelta(days=amount)
    return start + timedelta(minutes=amount)


@pytest.fixture
def round_the_clock(account: EndUserAccount) -> SupportCalendar:
    calendar = RoundTheClockCalendarFactory()
    account.calendar = calendar
    account.save(update_fields=["calendar"])
    return calendar


@pytest.fixture
def weekdays() -> SupportCalendar:
    """Europe/London, Mon-Fri 08:00-18:00, no holidays."""
    return SupportCalendarFactory()


@pytest.fixture
def with_holiday() -> SupportCalendar:
    """Europe/London, Mon-Fri 08:00-18:00, custom holiday Monday 2025-03-17."""
    calendar = SupportCalendarFactory()
    CustomHolidayFactory(calendar=calendar)
    return calendar


# --------------------------------------------------------------- deadline arithmetic, known answers

@pytest.mark.parametrize("start, unit, amount, expected", [
    pytest.param(london(2025, 3, 11, 10), "business_days", 1, london(2025, 3, 12, 10), id="tue10+1bd=wed10"),
    pytest.param(london(2025, 3, 15, 10), "business_days", 1, london(2025, 3, 17, 18), id="sat10+1bd=mon-close"),
    pytest.param(london(2025, 3, 14, 17), "business_minutes", 360, london(2025, 3, 17, 13), id="fri17+6bh=mon13"),
    pytest.param(london(2025, 3, 11, 16), "business_minutes", 120, london(2025, 3, 11, 18),
                 id="close-not-next-opening"),
    pytest.param(london(2025, 3, 15, 3), "wall_minutes", 15, london(2025, 3, 15, 3, 15), id="sat03+15min-wall"),
    pytest.param(london(2025, 3, 15, 3), "wall_minutes", 240, london(2025, 3, 15, 7), id="sat03+4h-wall"),
    # Daylight saving starts Sunday 2025-03-30 in London.
    pytest.param(london(2025, 3, 28, 17), "business_minutes", 360, london(2025, 3, 31, 13), id="dst-bh"),
    pytest.param(london(2025, 3, 28, 10), "business_days", 1, utc(2025, 3, 31, 9), id="dst-bd"),
    pytest.param(london(2025, 3, 11, 10), "none", 0, None, id="n/a"),
])
def test_deadline_known_answers(weekdays, start, unit, amount, expected):
    assert deadline(business_calendar(weekdays), start, unit, amount) == expected


@pytest.mark.parametrize("start, unit, amount, expected", [
    pytest.param(london(2025, 3, 15, 10), "business_days", 1, london(2025, 3, 18, 18), id="sat10+1bd=tue-close"),
    pytest.param(london(2025, 3, 14, 17), "business_minutes", 360, london(2025, 3, 18, 13), id="fri17+6bh=tue13"),
    pytest.param(london(2025, 3, 14, 10), "business_days", 1, london(2025, 3, 18, 10), id="fri10+1bd=tue10"),
    pytest.param(london(2025, 3, 17, 3), "wall_minutes", 15, london(2025, 3, 17, 3, 15), id="wall-ignores-holiday"),
])
def test_a_custom_holiday_pushes_business_targets(with_holiday, start, unit, amount, expected):
    assert deadline(business_calendar(with_holiday), start, unit, amount) == expected


# --------------------------------------------------------------------------- on submission

@pytest.mark.parametrize("severity", [2, 3, 4])
@pytest.mark.parametrize("package, name", PACKAGES)
def test_case_create_starts_three_milestones_from_table_1(
    round_the_clock, account, contact, intake, package, name, severity
):
    account.support_package = package
    account.save(update_fields=["support_package"])
    case = services.case_create(contact=contact.user, details={**intake, "priority": severity})

    assert case.severity == severity
    assert Milestone.objects.filter(case=case).count() == 3
    for kind, text in zip(KINDS, TABLE_1[name][severity], strict=True):
        unit, amount = CELL[text]
        milestone = current(case, kind)
        assert milestone.policy == policy(package)
        assert milestone.severity == severity
        assert milestone.calendar == round_the_clock
        assert (milestone.unit, milestone.amount) == (unit, amount)
        assert milestone.started_at == case.created_at
        expected = round_the_clock_target(case.created_at, unit, amount)
        assert milestone.target_at == expected
        if expected is None:
            assert milestone.warn_at is None and milestone.next_alert_at is None
        else:
            # 75 % of the time, to the minute (business units are counted in whole minutes).
            share = (expected - case.created_at) * 0.75
            assert abs(milestone.warn_at - (case.created_at + share)) < timedelta(minutes=1)
            assert milestone.next_alert_at == milestone.warn_at
        assert milestone.achieved_at is None and milestone.superseded_at is None


@pytest.mark.parametrize("package, name", PACKAGES)
def test_critical_milestones_are_wall_clock(round_the_clock, package, name):
    # Critical cannot be chosen at intake, so start a stored Critical case as case_create would.
    account = EndUserAccountFactory(support_package=package, calendar=round_the_clock)
    case = CaseFactory(account=account, severity=1)
    milestones_start(case=case)
    for kind, text in zip(KINDS, TABLE_1[name][1], strict=True):
        unit, amount = CELL[text]
        milestone = current(case, kind)
        assert (milestone.policy, milestone.severity, milestone.unit, milestone.amount) == (
            policy(package), 1, unit, amount)
        assert milestone.target_at == round_the_clock_target(case.created_at, unit, amount)


def test_an_account_without_calendar_gets_the_default_once(account, contact, intake):
    assert account.calendar is None
    case = services.case_create(contact=contact.user, details=intake)
    account.refresh_from_db()
    calendar = account.calendar
    assert calendar.name == "Mon-Fri 08:00-18:00 (America/New_York)"
    assert calendar.time_zone == "America/New_York"
    assert calendar.weekly_hours == {str(day): [["08:00", "18:00"]] for day in range(5)}
    assert {m.calendar for m in Milestone.objects.filter(case=case)} == {calendar}
    services.case_create(contact=contact.user, details=intake)
    assert SupportCalendar.objects.filter(name__startswith="Mon-Fri 08:00-18:00").count() == 1


def test_hand_picked_start_friday_evening_before_a_holiday(with_holiday):
    # Business Care, High, logged Friday 2025-03-14 17:00 London (GMT); Monday 17th is a holiday.
    case = case_logged_at(london(2025, 3, 14, 17), calendar=with_holiday)
    response, restoration, resolution = (current(case, kind) for kind in KINDS)
    assert (response.unit, response.amount) == ("business_minutes", 120)
    # 1 h on Friday, then Tuesday 08:00-09:00.
    assert response.target_at == london(2025, 3, 18, 9)
    assert response.warn_at == london(2025, 3, 18, 8, 30)  # 90 of the 120 minutes
    # 2 bd: 17:00 on the second working date after Friday (Tue, Wed).
    assert restoration.target_at == london(2025, 3, 19, 17)
    # 15 bd skipping the holiday: Tue 18 ... Mon 7 April, 17:00 BST (after the DST change).
    assert resolution.target_at == london(2025, 4, 7, 17) == utc(2025, 4, 7, 16)
    assert {m.calendar_id for m in (response, restoration, resolution)} == {with_holiday.pk}


def test_hand_picked_start_critical_on_a_saturday_night(weekdays):
    case = case_logged_at(london(2025, 3, 15, 3), calendar=weekdays, package="care", severity=1)
    response, restoration, resolution = (current(case, kind) for kind in KINDS)
    assert response.target_at == london(2025, 3, 15, 7)  # 4 h wall-clock, calendar ignored
    assert response.warn_at == london(2025, 3, 15, 6)
    assert restoration.target_at == london(2025, 3, 15, 9)  # 6 h
    # 15 bd: the start moves to Monday 08:00; 08:00 fifteen working dates later is Monday 7 April's
    # opening, whose earliest equal instant is Friday 4 April's close (BST).
    assert resolution.target_at == london(2025, 4, 4, 18)


# --------------------------------------------------------------------------- achievement

def test_first_public_staff_reply_achieves_response_only(round_the_clock, contact, staff, intake):
    case = services.case_create(contact=contact.user, details=intake)
    services.case_reply(case=case, author=staff, body="internal only", internal=True)
    assert current(case, "response").achieved_at is None
    services.case_reply(case=case, author=contact.user, body="any news?")
    assert current(case, "response").achieved_at is None

    reply = services.case_reply(case=case, author=staff, body="Looking at it now.")
    response = current(case, "response")
    assert response.achieved_at == reply.created_at
    assert response.next_alert_at is None
    services.case_reply(case=case, author=staff, body="Second reply.")
    assert current(case, "response").achieved_at == reply.created_at
    assert current(case, "restoration").achieved_at is None
    assert current(case, "resolution").achieved_at is None


def test_restored_achieves_restoration_and_resolved_achieves_resolution(round_the_clock, contact, staff, intake):
    case = services.case_create(contact=contact.user, details=intake)
    before = timezone.now()
    services.case_change_status(case=case, actor=staff, status=Status.RESTORED)
    after = timezone.now()
    restored = current(case, "restoration")
    assert before <= restored.achieved_at <= after
    assert restored.next_alert_at is None
    assert current(case, "resolution").achieved_at is None

    services.case_change_status(case=case, actor=staff, status=Status.RESOLVED)
    resolution = current(case, "resolution")
    assert resolution.achieved_at >= after
    assert current(case, "restoration").achieved_at == restored.achieved_at  # not moved
    # Restoring the service ends the wait for a first response when no reply came before.
    assert current(case, "response").achieved_at == restored.achieved_at


def test_resolved_also_achieves_restoration_if_still_open(round_the_clock, contact, staff, intake):
    case = services.case_create(contact=contact.user, details=intake)
    services.case_change_status(case=case, actor=staff, status=Status.IN_PROGRESS)
    services.case_change_status(case=case, actor=staff, status=Status.RESOLVED)
    restoration, resolution = current(case, "restoration"), current(case, "resolution")
    assert restoration.achieved_at is not None
    assert restoration.achieved_at == resolution.achieved_at


def test_reopening_a_resolved_case_reopens_restoration_and_resolution(round_the_clock, contact, staff, intake):
    case = services.case_create(contact=contact.user, details=intake)
    services.case_reply(case=case, author=staff, body="On it.")
    services.case_change_status(case=case, actor=staff, status=Status.RESOLVED)
    services.case_change_status(case=case, actor=staff, status=Status.IN_PROGRESS)
    for kind in ("restoration", "resolution"):
        milestone = current(case, kind)
        assert milestone.achieved_at is None
        assert milestone.next_alert_at == milestone.warn_at  # alerts scheduled again
        assert len(rows(case, kind)) == 1  # same target, not a new one
    assert current(case, "response").achieved_at is not None  # a response stays given


def test_closing_stops_alerts_without_marking_met_and_reopening_resumes(round_the_clock, contact, staff, intake):
    case = services.case_create(contact=contact.user, details=intake)
    services.case_change_status(case=case, actor=staff, status=Status.CLOSED)
    for milestone in Milestone.objects.filter(case=case):
        assert milestone.next_alert_at is None
        assert milestone.achieved_at is None
    assert current(case, "response").target_at == case.created_at + timedelta(hours=2)
    assert alerts.sweep(now=case.created_at + timedelta(days=60)) == 0
    assert not MilestoneAlert.objects.exists()

    services.case_change_status(case=case, actor=staff, status=Status.IN_PROGRESS)
    response = current(case, "response")
    assert response.next_alert_at == response.warn_at


def test_a_severity_change_on_a_closed_case_raises_no_alerts(round_the_clock, contact, staff, intake):
    case = services.case_create(contact=contact.user, details=intake)
    services.case_change_status(case=case, actor=staff, status=Status.CLOSED)
    case_change_severity(case=case, actor=staff, severity=1, reason="reclassified")
    assert list(Milestone.objects.current().filter(case=case).exclude(next_alert_at=None)) == []


# --------------------------------------------------------------------------- re-targeting

def test_escalation_high_to_critical_retargets_from_the_change(round_the_clock, contact, staff, intake):
    case = services.case_create(contact=contact.user, details=intake)  # Business Care, High
    before = timezone.now()
    case_change_severity(case=case, actor=staff, severity=1, reason="customer phoned")
    after = timezone.now()

    for kind, (unit, amount) in (("response", ("wall_minutes", 15)), ("restoration", ("wall_minutes", 240))):
        old, new = rows(case, kind)
        assert before <= old.superseded_at <= after
        assert old.superseded_reason == "2 - High -> 1 - Critical"
        assert old.severity == 2 and old.next_alert_at is None
        assert old.target_at == round_the_clock_target(case.created_at, *CELL[
            TABLE_1["Business Care for Cloud"][2][KINDS.index(kind)]])  # kept on record
        assert new.superseded_at is None and new.severity == 1
        assert (new.unit, new.amount) == (unit, amount)
        assert new.started_at == old.superseded_at
        assert new.target_at == old.superseded_at + timedelta(minutes=amount)
        assert new.next_alert_at == new.warn_at == new.started_at + timedelta(minutes=amount * 0.75)

    old, new = rows(case, "resolution")
    assert old.superseded_at is not None
    assert (new.severity, new.unit, new.amount) == (1, "business_days", 15)
    assert new.started_at == case.created_at  # still measured from when the case was logged
    assert new.target_at == case.created_at + timedelta(days=15)


def test_downgrade_retargets_too(round_the_clock, account, contact, staff, intake):
    account.support_package = SupportPackage.CARE
    account.save(update_fields=["support_package"])
    case = services.case_create(contact=contact.user, details=intake)  # Care for Cloud, High
    case_change_severity(case=case, actor=staff, severity=3, reason="workaround found")
    changed = rows(case, "response")[0].superseded_at
    assert rows(case, "response")[0].superseded_reason == "2 - High -> 3 - Medium"
    response, restoration, resolution = (current(case, kind) for kind in KINDS)
    assert (response.unit, response.amount, response.target_at) == ("business_days", 1, changed + timedelta(days=1))
    assert (restoration.unit, restoration.amount, restoration.target_at) == (
        "business_days", 10, changed + timedelta(days=10))
    assert (resolution.unit, resolution.amount, resolution.started_at, resolution.target_at) == (
        "business_days", 30, case.created_at, case.created_at + timedelta(days=30))
    assert Milestone.objects.filter(case=case).count() == 6


def test_a_met_response_is_not_retargeted(round_the_clock, contact, staff, intake):
    case = services.case_create(contact=contact.user, details=intake)
    reply = services.case_reply(case=case, author=staff, body="Looking.")
    case_change_severity(case=case, actor=staff, severity=1)
    [response] = rows(case, "response")
    assert response.superseded_at is None
    assert response.achieved_at == reply.created_at
    assert (response.severity, response.amount) == (2, 120)
    assert len(rows(case, "restoration")) == 2
    assert len(rows(case, "resolution")) == 2


def test_a_breach_recorded_before_the_change_stays_on_the_superseded_row(
    round_the_clock, contact, staff, intake, django_capture_on_commit_callbacks
):
    case = services.case_create(contact=contact.user, details=intake)
    breached_target = case.created_at + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.sweep(now=case.created_at + timedelta(hours=3)) == 1
    case_change_severity(case=case, actor=staff, severity=1)

    old, new = rows(case, "response")
    assert old.superseded_at is not None
    assert old.breached_at == breached_target
    assert list(old.alerts.values_list("level", "target_at")) == [("breach", breached_target)]
    assert new.breached_at is None and new.warned_at is None
    assert not new.alerts.exists()

    # The next alert is about the NEW target.
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.sweep(now=new.target_at) == 1
    alert = MilestoneAlert.objects.get(milestone__case=case, milestone__superseded_at=None)
    assert alert.milestone == new
    assert alert.level == "breach"
    assert alert.target_at == new.target_at == new.started_at + timedelta(minutes=15)


def test_retarget_at_an_explicit_instant_and_alert_on_the_new_target(
    weekdays, contact, django_capture_on_commit_callbacks
):
    # Business Care High logged Tue 2025-03-11 10:00 London; raised to Critical at 14:00.
    case = case_logged_at(london(2025, 3, 11, 10), calendar=weekdays, reseller=contact.reseller)
    with django_capture_on_commit_callbacks(execute=True):
        alerts.sweep(now=london(2025, 3, 11, 13))  # response (12:00) breached
    case.severity = 1
    case.save(update_fields=["severity"])
    milestones_retarget(case=case, at=london(2025, 3, 11, 14), reason="2 - High -> 1 - Critical")

    response, restoration = current(case, "response"), current(case, "restoration")
    assert response.target_at == london(2025, 3, 11, 14, 15)
    assert response.warn_at == london(2025, 3, 11, 14, 11, 15)
    assert restoration.target_at == london(2025, 3, 11, 18)
    assert current(case, "resolution").target_at == london(2025, 4, 1, 10)  # from logging, 15 bd
    assert rows(case, "response")[0].breached_at == london(2025, 3, 11, 12)

    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.sweep(now=london(2025, 3, 11, 14, 11, 15)) == 1
        assert alerts.sweep(now=london(2025, 3, 11, 14, 15)) == 1
    new_alerts = MilestoneAlert.objects.filter(milestone=response).order_by("id")
    assert [(a.level, a.target_at) for a in new_alerts] == [
        ("warning", london(2025, 3, 11, 14, 15)), ("breach", london(2025, 3, 11, 14, 15))]


# --------------------------------------------------------------------------- pausing

def _allow_pause() -> None:
    SlaPolicy.objects.filter(code="business-care-for-cloud").update(pause_restoration_when_awaiting_reseller=True)


def test_awaiting_reseller_does_not_pause_by_default(round_the_clock, contact, staff, intake):
    case = services.case_create(contact=contact.user, details=intake)
    services.case_change_status(case=case, actor=staff, status=Status.AWAITING_RESELLER)
    restoration = current(case, "restoration")
    assert restoration.paused_at is None
    assert restoration.next_alert_at == restoration.warn_at
    assert not MilestonePause.objects.exists()


def test_awaiting_reseller_pauses_restoration_when_the_policy_allows(round_the_clock, contact, staff, intake):
    _allow_pause()
    case = services.case_create(contact=contact.user, details=intake)
    before = timezone.now()
    services.case_change_status(case=case, actor=staff, status=Status.AWAITING_RESELLER)
    restoration = current(case, "restoration")
    assert before <= restoration.paused_at
    assert restoration.next_alert_at is None
    pause = MilestonePause.objects.get(milestone=restoration)
    assert (pause.started_at, pause.ended_at) == (restoration.paused_at, None)
    resolution = current(case, "resolution")  # resolution never pauses
    assert resolution.paused_at is None and resolution.next_alert_at is not None
    assert not MilestonePause.objects.filter(milestone=resolution).exists()

    # The contact's answer puts the case back in progress and the clock runs again.
    services.case_reply(case=case, author=contact.user, body="Here are the logs.")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    restoration = current(case, "restoration")
    pause.refresh_from_db()
    assert pause.ended_at is not None and pause.ended_at >= pause.started_at
    assert restoration.paused_at is None
    assert restoration.next_alert_at == restoration.warn_at


def test_resume_moves_a_wall_clock_target_by_the_pause(round_the_clock, contact, staff):
    _allow_pause()
    case = case_logged_at(utc(2025, 3, 11, 10), calendar=round_the_clock, severity=1, reseller=contact.reseller)
    assert current(case, "restoration").target_at == utc(2025, 3, 11, 14)
    services.case_change_status(case=case, actor=staff, status=Status.AWAITING_RESELLER)
    services.case_reply(case=case, author=contact.user, body="Done.")
    pause = MilestonePause.objects.get()
    restoration = current(case, "restoration")
    assert restoration.target_at == utc(2025, 3, 11, 14) + (pause.ended_at - pause.started_at)


def test_resume_at_explicit_instants_wall_clock(weekdays):
    _allow_pause()
    case = case_logged_at(london(2025, 3, 15, 3), calendar=weekdays, severity=1)  # Saturday, Critical
    clocks_follow_status(case=case, old=Status.NEW, new=Status.AWAITING_RESELLER, at=london(2025, 3, 15, 4))
    paused = current(case, "restoration")
    assert paused.paused_at == london(2025, 3, 15, 4) and paused.next_alert_at is None
    clocks_follow_status(case=case, old=Status.AWAITING_RESELLER, new=Status.IN_PROGRESS,
                             at=london(2025, 3, 15, 4, 30))
    restoration = current(case, "restoration")
    # 4 h target 07:00, paused 30 min: 07:30; the warning (06:00) moves likewise.
    assert restoration.target_at == london(2025, 3, 15, 7, 30)
    assert restoration.warn_at == london(2025, 3, 15, 6, 30)
    assert restoration.next_alert_at == restoration.warn_at
    assert current(case, "response").target_at == london(2025, 3, 15, 3, 15)  # response never pauses


def test_resume_at_explicit_instants_business_days(weekdays):
    _allow_pause()
    case = case_logged_at(london(2025, 3, 11, 10), calendar=weekdays)  # High: restoration 2 bd
    assert current(case, "restoration").target_at == london(2025, 3, 13, 10)
    clocks_follow_status(case=case, old=Status.NEW, new=Status.AWAITING_RESELLER, at=london(2025, 3, 11, 17))
    clocks_follow_status(case=case, old=Status.AWAITING_RESELLER, new=Status.IN_PROGRESS,
                             at=london(2025, 3, 12, 9))
    # Paused business time: Tue 17:00-18:00 and Wed 08:00-09:00 = 2 bh, so Thu 10:00 -> Thu 12:00.
    assert current(case, "restoration").target_at == london(2025, 3, 13, 12)
    assert current(case, "resolution").target_at == london(2025, 4, 1, 10)  # unchanged


def test_escalation_while_paused_ends_the_old_pause_and_pauses_the_new_restoration(
    round_the_clock, contact, staff, intake
):
    _allow_pause()
    case = services.case_create(contact=contact.user, details=intake)
    services.case_change_status(case=case, actor=staff, status=Status.AWAITING_RESELLER)
    case_change_severity(case=case, actor=staff, severity=1)
    old, new = rows(case, "restoration")
    [old_pause] = old.pauses.all()
    assert old_pause.ended_at == old.superseded_at and old.paused_at is None
    [new_pause] = new.pauses.all()
    assert new.paused_at == new.started_at == old.superseded_at == new_pause.started_at
    assert new_pause.ended_at is None and new.next_alert_at is None
    assert new.target_at == new.started_at + timedelta(hours=4)


def test_resume_keeps_the_seconds_of_a_business_target(weekdays):
    _allow_pause()
    case = case_logged_at(london(2025, 3, 11, 10, 0, 30), calendar=weekdays)
    assert current(case, "restoration").target_at == london(2025, 3, 13, 10, 0, 30)
    clocks_follow_status(case=case, old=Status.NEW, new=Status.AWAITING_RESELLER, at=london(2025, 3, 11, 12))
    clocks_follow_status(case=case, old=Status.AWAITING_RESELLER, new=Status.IN_PROGRESS,
                             at=london(2025, 3, 11, 13))
    assert current(case, "restoration").target_at == london(2025, 3, 13, 11, 0, 30)


# --------------------------------------------------------------------------- the sweep

def test_sweep_warns_at_75_percent_and_breaches_at_target_once_each(
    weekdays, contact, django_capture_on_commit_callbacks
):
    # Business Care High logged Tue 2025-03-11 10:00 London: response due 12:00, warning at 11:30.
    case = case_logged_at(london(2025, 3, 11, 10), calendar=weekdays, reseller=contact.reseller)
    response = current(case, "response")
    assert (response.warn_at, response.target_at) == (london(2025, 3, 11, 11, 30), london(2025, 3, 11, 12))

    def sweep(now: datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return alerts.sweep(now=now)

    assert sweep(london(2025, 3, 11, 11, 29, 59)) == 0
    assert mail.outbox == []
    assert sweep(london(2025, 3, 11, 11, 30)) == 1
    assert sweep(london(2025, 3, 11, 11, 30)) == 0
    assert sweep(london(2025, 3, 11, 11, 45)) == 0
    assert len(mail.outbox) == 1  # the warning, to staff only

    assert sweep(london(2025, 3, 11, 12)) == 1
    assert sweep(london(2025, 3, 11, 12)) == 0
    assert sweep(london(2025, 3, 11, 12, 30)) == 0
    assert len(mail.outbox) == 3  # + the breach, to staff and to the reseller

    response.refresh_from_db()
    assert response.warned_at == london(2025, 3, 11, 11, 30)
    assert response.breached_at == london(2025, 3, 11, 12)
    assert response.next_alert_at is None
    assert list(response.alerts.order_by("id").values_list("level", "target_at")) == [
        ("warning", london(2025, 3, 11, 12)), ("breach", london(2025, 3, 11, 12))]
    assert all(alert.sent_at is not None for alert in response.alerts.all())
    # Restoration (Thu 10:00, warning after 15 of its 20 bh: Wed 15:00) has not been touched yet.
    restoration = current(case, "restoration")
    assert restoration.warn_at == london(2025, 3, 12, 15)
    assert not restoration.alerts.exists()


def test_a_late_sweep_sends_the_breach_without_a_warning(weekdays, django_capture_on_commit_callbacks):
    case = case_logged_at(london(2025, 3, 11, 10), calendar=weekdays)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.sweep(now=london(2025, 3, 11, 12, 5)) == 1
        assert alerts.sweep(now=london(2025, 3, 11, 12, 10)) == 0
    assert list(current(case, "response").alerts.values_list("level", flat=True)) == ["breach"]


def test_no_alerts_for_met_or_paused_milestones(weekdays, django_capture_on_commit_callbacks):
    _allow_pause()
    case = case_logged_at(london(2025, 3, 11, 10), calendar=weekdays)
    milestone_achieve(case=case, kind="response", at=london(2025, 3, 11, 11))
    clocks_follow_status(case=case, old=Status.NEW, new=Status.AWAITING_RESELLER, at=london(2025, 3, 11, 11))
    with django_capture_on_commit_callbacks(execute=True):
        # Past restoration's target (Thu 13th) and resolution's warning (112.5 of its 150 bh:
        # Wed 26th 12:30), before resolution's target (Tue 1 April).
        raised = alerts.sweep(now=london(2025, 3, 27, 12))
    assert current(case, "resolution").warn_at == london(2025, 3, 26, 12, 30)
    assert raised == 1
    assert list(MilestoneAlert.objects.values_list("milestone__kind", "level")) == [("resolution", "warning")]
    assert not current(case, "response").alerts.exists()
    assert not current(case, "restoration").alerts.exists()
