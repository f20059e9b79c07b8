"""What a case's status means for its SLA clocks (the Support Guide's definitions)."""

from __future__ import annotations

from datetime import datetime

from cases.models import Case, Status
from sla.clocks import services as milestones
from sla.models import MilestoneKind


def clocks_follow_status(*, case: Case, old: str, new: str, at: datetime) -> None:
    """What a status change means for the clocks (Support Guide definitions)."""
    done = (Status.RESTORED, Status.RESOLVED, Status.CLOSED)
    if old == Status.AWAITING_RESELLER:
        milestones.milestone_resume(case=case, kind=MilestoneKind.RESTORATION, at=at)
    if new in (Status.RESTORED, Status.RESOLVED):
        # Care acting on the case ends the wait for a first response, if no reply came before.
        milestones.milestone_achieve(case=case, kind=MilestoneKind.RESPONSE, at=at)
    if new == Status.RESTORED:
        milestones.milestone_achieve(case=case, kind=MilestoneKind.RESTORATION, at=at)
    elif new == Status.RESOLVED:
        # A root-cause solution also returns the service, if that was not recorded separately.
        milestones.milestone_achieve(case=case, kind=MilestoneKind.RESTORATION, at=at)
        milestones.milestone_achieve(case=case, kind=MilestoneKind.RESOLUTION, at=at)
    elif new == Status.CLOSED:
        milestones.milestones_stop(case=case)
    elif old in done:
        # Reopened: the problem is back, so restoration and resolution run again.
        milestones.milestone_reopen(case=case, kind=MilestoneKind.RESTORATION)
        milestones.milestone_reopen(case=case, kind=MilestoneKind.RESOLUTION)
        if old == Status.CLOSED:
            milestones.milestones_resume_alerts(case=case)
    if new == Status.AWAITING_RESELLER:
        milestones.milestone_pause(case=case, kind=MilestoneKind.RESTORATION, at=at)
