"""Case.next_due_at, the stored nearest running deadline, follows every clock change.

Each step compares the stored value with the milestones themselves (the rule the queue used to
compute on every page: the earliest target of the current, unmet, unpaused milestones), so a
service that forgot to refresh it fails here.
"""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db.models import Min
from django.utils import timezone

from cases.escalation.services import case_change_severity
from cases.intake import services
from cases.models import Case, Status
from sla.alerts import sweep as alerts
from sla.clocks.queue import at_risk, breached
from sla.models import Milestone, SlaPolicy
from tests.sla.factories import RoundTheClockCalendarFactory

pytestmark = pytest.mark.django_db


def nearest_running_target(case: Case):  # type: ignore[no-untyped-def]
    return (Milestone.objects.filter(case=case).unmet().filter(paused_at__isnull=True)
            .aggregate(due=Min("target_at"))["due"])


def stored(case: Case):  # type: ignore[no-untyped-def]
    return Case.objects.values_list("next_due_at", flat=True).get(pk=case.pk)


def target(case: Case, kind: str):  # type: ignore[no-untyped-def]
    return Milestone.objects.filter(case=case, kind=kind).current().get().target_at


@pytest.fixture
def case(contact, intake, account) -> Case:  # type: ignore[no-untyped-def]
    account.calendar = RoundTheClockCalendarFactory()
    account.save()
    return services.case_create(contact=contact.user, details=intake)  # High on Business Care


def test_a_new_case_stores_its_response_target(case):  # type: ignore[no-untyped-def]
    assert stored(case) is not None
    assert stored(case) == target(case, "response") == nearest_running_target(case)
    assert case.next_due_at == stored(case)  # the instance in hand agrees with the row


def test_achieving_the_response_moves_to_the_next_target(case, staff):  # type: ignore[no-untyped-def]
    before = stored(case)
    services.case_reply(case=case, author=staff, body="Looking now.")
    assert stored(case) != before
    assert stored(case) == min(target(case, "restoration"), target(case, "resolution"))
    assert stored(case) == nearest_running_target(case)


def test_pausing_skips_the_paused_milestone_and_resuming_brings_it_back(case, staff, contact):  # type: ignore[no-untyped-def]
    policy_ids = Milestone.objects.filter(case=case).values("policy")
    SlaPolicy.objects.filter(pk__in=policy_ids).update(pause_restoration_when_awaiting_reseller=True)
    services.case_reply(case=case, author=staff, body="Looking now.")
    restoration = target(case, "restoration")
    assert stored(case) == restoration
    services.case_change_status(case=case, actor=staff, status=Status.AWAITING_RESELLER)
    assert stored(case) == target(case, "resolution") == nearest_running_target(case)
    services.case_reply(case=case, author=contact.user, body="Here are the logs.")  # resumes restoration
    assert stored(case) == target(case, "restoration") == nearest_running_target(case)
    assert stored(case) >= restoration  # the paused time moved the target later


def test_retargeting_on_a_severity_change_stores_the_new_target(case, staff):  # type: ignore[no-untyped-def]
    before = stored(case)
    case_change_severity(case=case, actor=staff, severity=1, reason="Outage")
    assert stored(case) == target(case, "response") == nearest_running_target(case)
    assert stored(case) != before


def test_resolving_clears_it_and_reopening_restores_it(case, staff):  # type: ignore[no-untyped-def]
    services.case_reply(case=case, author=staff, body="Looking now.")
    services.case_change_status(case=case, actor=staff, status=Status.RESOLVED)
    assert stored(case) is None
    services.case_change_status(case=case, actor=staff, status=Status.IN_PROGRESS)
    assert stored(case) is not None
    assert stored(case) == nearest_running_target(case)


def test_a_breached_case_is_in_the_breached_filter_until_the_milestone_is_met(case, staff):  # type: ignore[no-untyped-def]
    past = timezone.now() - timedelta(minutes=5)
    Milestone.objects.filter(case=case, kind="response").update(target_at=past, warn_at=None, next_alert_at=past)
    case.refresh_from_db()
    from sla.clocks.services import case_next_due_refresh

    case_next_due_refresh(case=case)
    assert alerts.sweep(now=timezone.now()) >= 1  # the beat records the breach
    assert Milestone.objects.get(case=case, kind="response").breached_at is not None
    assert stored(case) == past  # a breach does not move the nearest running target
    assert list(breached(Case.objects.all(), timezone.now())) == [case]
    services.case_reply(case=case, author=staff, body="Late, but here.")  # achieves the response
    assert stored(case) == nearest_running_target(case) > timezone.now()
    assert list(breached(Case.objects.all(), timezone.now())) == []


def test_at_risk_filter_reads_the_same_running_milestones(case):  # type: ignore[no-untyped-def]
    now = timezone.now()
    Milestone.objects.filter(case=case, kind="response").update(warn_at=now - timedelta(minutes=1))
    assert list(at_risk(Case.objects.all(), now)) == [case]
    assert list(breached(Case.objects.all(), now)) == []


def test_the_data_migration_fills_existing_cases(case, staff):  # type: ignore[no-untyped-def]
    services.case_reply(case=case, author=staff, body="Looking now.")
    expected = stored(case)
    Case.objects.update(next_due_at=None)
    migration = importlib.import_module("cases.migrations.0012_case_next_due_at")
    migration.fill_next_due_at(apps, None)
    assert stored(case) == expected == nearest_running_target(case)
