"""Builds milestones that are already due, without waiting for real time to pass."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.models import Reseller
from sla.clocks.services import schedule_next_alert
from sla.models import Milestone, MilestoneKind
from tests.cases.factories import CaseFactory
from tests.portal.factories import EndUserAccountFactory


def make_due_milestones(reseller: Reseller, count: int) -> list[Milestone]:
    """`count` cases whose response target passed an hour ago, with the warning already sent."""
    from sla.targets.calendars import calendar_for_account
    from sla.targets.deadlines import policy_for_package

    account = EndUserAccountFactory(reseller=reseller)
    calendar = calendar_for_account(account)
    policy = policy_for_package(account.support_package)
    past = timezone.now() - timedelta(hours=1)
    made = []
    for _ in range(count):
        case = CaseFactory(account=account)
        milestone = Milestone(
            case=case, kind=MilestoneKind.RESPONSE, policy=policy, severity=case.severity, calendar=calendar,
            unit="wall_minutes", amount=15, started_at=past - timedelta(minutes=15), target_at=past,
            warn_at=past - timedelta(minutes=4), warned_at=past - timedelta(minutes=4),
        )
        milestone.next_alert_at = schedule_next_alert(milestone)
        milestone.save()
        made.append(milestone)
    return made
