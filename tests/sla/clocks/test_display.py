"""Where people see the SLA: the words and colours of each state, the portal pages and the queue."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases.intake import services
from cases.models import Status
from sla.clocks.display import milestone_state
from sla.clocks.services import case_next_due_refresh
from sla.models import Milestone
from tests.cases.factories import CaseFactory
from tests.sla.factories import RoundTheClockCalendarFactory, policy

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _milestone(**fields: object) -> Milestone:
    values = {"target_at": NOW + timedelta(hours=4), "warn_at": NOW + timedelta(hours=3), **fields}
    return Milestone(kind="response", severity=2, unit="wall_minutes", amount=240,
                     started_at=NOW - timedelta(hours=1), **values)


@pytest.mark.parametrize(
    ("fields", "code", "label", "detail", "css"),
    [
        ({}, "on_track", "On track", "4h 0min left", "text-bg-info"),
        ({"warn_at": NOW - timedelta(minutes=1)}, "at_risk", "At risk", "4h 0min left", "text-bg-warning"),
        ({"target_at": NOW - timedelta(minutes=90), "warn_at": NOW - timedelta(hours=2)}, "breached", "Breached",
         "overdue by 1h 30min", "text-bg-danger"),
        ({"achieved_at": NOW}, "met", "Met", "", "text-bg-success"),
        ({"target_at": NOW - timedelta(days=2, hours=3), "achieved_at": NOW}, "met_late", "Met late",
         "2d 3h after target", "text-bg-danger"),
        ({"paused_at": NOW}, "paused", "Paused", "waiting on reseller", "text-bg-secondary"),
        ({"target_at": None, "warn_at": None}, "none", "No target", "", "text-bg-light border"),
    ],
)
def test_each_state_has_words_as_well_as_a_colour(fields, code, label, detail, css):
    state = milestone_state(_milestone(**fields), NOW)
    assert (state.code, state.label, state.detail, state.css) == (code, label, detail, css)


def test_a_closed_case_shows_unmet_milestones_as_stopped():
    assert milestone_state(_milestone(), NOW, case_open=False).label == "Stopped"


@pytest.fixture
def tokyo_contact(contact):  # type: ignore[no-untyped-def]
    contact.user.time_zone = "Asia/Tokyo"
    contact.user.save()
    return contact


def test_case_detail_shows_each_target_in_the_viewers_time_zone(client_for, tokyo_contact, intake, account):
    account.calendar = RoundTheClockCalendarFactory()
    account.save()
    case = services.case_create(contact=tokyo_contact.user, details=intake)  # High on Business Care
    page = client_for(tokyo_contact.user).get(f"/cases/{case.number}/").content.decode()
    response_due = (case.created_at + timedelta(hours=2)).astimezone(ZoneInfo("Asia/Tokyo"))
    assert "Service levels" in page
    assert f'datetime="{response_due.isoformat()}"' in page
    assert "JST" in page
    assert "On track" in page and "1h 59min left" in page
    assert "No target" not in page


def test_case_list_shows_the_next_deadline_with_words(client_for, contact, intake, account):
    account.calendar = RoundTheClockCalendarFactory()
    account.save()
    case = services.case_create(contact=contact.user, details=intake)
    Milestone.objects.filter(case=case, kind="response").update(target_at=timezone.now() - timedelta(minutes=5))
    page = client_for(contact.user).get("/cases/").content.decode()
    assert "Next deadline" in page
    assert "Breached" in page and "overdue by" in page


def test_admin_queue_is_sorted_by_nearest_unmet_deadline(client_for, staff, account):
    now = timezone.now()
    later, sooner, met = CaseFactory(account=account), CaseFactory(account=account), CaseFactory(account=account)
    for case, offset, achieved in ((later, 5, None), (sooner, 1, None), (met, 0, now)):
        Milestone.objects.create(
            case=case, kind="response", policy=policy("business_care"), severity=2,
            calendar=RoundTheClockCalendarFactory(),
            unit="wall_minutes", amount=60, started_at=now, target_at=now + timedelta(hours=offset),
            achieved_at=achieved,
        )
        case_next_due_refresh(case=case)  # milestones made directly, not by the clock services
    page = client_for(staff).get("/admin/cases/case/").content.decode()
    assert page.index(sooner.number) < page.index(later.number) < page.index(met.number)


def test_admin_filters_breached_and_at_risk(client_for, staff, account):
    now = timezone.now()
    calendar = RoundTheClockCalendarFactory()
    breached, risky, calm = (CaseFactory(account=account, status=Status.IN_PROGRESS) for _ in range(3))
    for case, target, warn in (
        (breached, now - timedelta(minutes=1), now - timedelta(minutes=30)),
        (risky, now + timedelta(minutes=10), now - timedelta(minutes=5)),
        (calm, now + timedelta(hours=10), now + timedelta(hours=8)),
    ):
        Milestone.objects.create(case=case, kind="response", policy=policy("business_care"), severity=2,
                                 calendar=calendar,
                                 unit="wall_minutes", amount=60, started_at=now - timedelta(hours=1),
                                 target_at=target, warn_at=warn)
        case_next_due_refresh(case=case)  # milestones made directly, not by the clock services
    client = client_for(staff)
    page = client.get("/admin/cases/case/", {"sla": "breached"}).content.decode()
    assert breached.number in page and risky.number not in page and calm.number not in page
    page = client.get("/admin/cases/case/", {"sla": "at_risk"}).content.decode()
    assert risky.number in page and breached.number not in page and calm.number not in page
