"""The life of a case's SLA milestones. Called by cases.intake.services inside their transactions.

A milestone is never edited into a different deadline: re-targeting supersedes it and creates a new
one, so every earlier target and any breach already recorded stays on the record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Min

from sla.clocks.models import Milestone, MilestonePause
from sla.targets.calendars import business_calendar, calendar_for_account
from sla.targets.deadlines import deadline, policy_for_package, target_for, warning_instant
from sla.targets.models import MilestoneKind, SlaPolicy, TargetUnit

# sla never imports cases: what it learns about a case comes from the object it is given (its kind,
# severity, created_at and end-user account) or from its own foreign key.
Case = Any

ADMIN_CASES_POLICY = "admin-cases"  # loaded by sla 0002: response 2 business days at every severity
# Response and restoration restart from a severity change; resolution always counts from logging.
RETARGETED_FROM_CHANGE = (MilestoneKind.RESPONSE, MilestoneKind.RESTORATION)


def policy_for_case(case: Case) -> SlaPolicy:
    if case.kind == "admin":  # cases.models.CaseKind.ADMIN: access, licensing, account administration
        return SlaPolicy.objects.get(code=ADMIN_CASES_POLICY)
    return policy_for_package(case.account.support_package)


def schedule_next_alert(milestone: Milestone) -> datetime | None:
    """The stored due time the sweep reads: the warning, then the breach, then nothing."""
    if (milestone.target_at is None or milestone.achieved_at or milestone.superseded_at
            or milestone.paused_at or milestone.breached_at):
        return None
    if milestone.warned_at is None and milestone.warn_at is not None:
        return milestone.warn_at
    return milestone.target_at


def _build(
    case: Case, kind: str, policy: SlaPolicy, severity: int, started_at: datetime
) -> Milestone:
    calendar = calendar_for_account(case.account)
    hours = business_calendar(calendar)
    unit, amount = target_for(policy, severity, kind)
    target = deadline(hours, started_at, unit, amount)
    warn = None
    if target is not None:
        warn = warning_instant(hours, started_at, target, unit, policy.warn_at_share)
        if warn >= target:
            warn = None
    milestone = Milestone(
        case=case, kind=kind, policy=policy, severity=severity, calendar=calendar, unit=unit,
        amount=amount, started_at=started_at, target_at=target, warn_at=warn,
    )
    milestone.next_alert_at = schedule_next_alert(milestone)
    return milestone


def _running_target(milestone: Milestone) -> datetime | None:
    running = milestone.is_open and milestone.paused_at is None
    return milestone.target_at if running else None


def _store_next_due(case: Case, due: datetime | None) -> None:
    """Writes the case's next_due_at through the case's own model, which sla does not import.
    Always written: the instance in hand may be older than the row."""
    type(case)._default_manager.filter(pk=case.pk).update(next_due_at=due)
    case.next_due_at = due


def case_next_due_refresh(*, case: Case) -> datetime | None:
    """Case.next_due_at: the nearest target of the case's running milestones (unmet, not paused),
    as the work queue shows and orders by. Every service below that changes them calls this."""
    due = (Milestone.objects.unmet().filter(case=case, paused_at__isnull=True)
           .aggregate(due=Min("target_at"))["due"])
    _store_next_due(case, due)
    return due


def milestones_start(*, case: Case) -> list[Milestone]:
    policy = policy_for_case(case)
    milestones = [_build(case, kind, policy, case.severity, case.created_at) for kind in MilestoneKind]
    created = Milestone.objects.bulk_create(milestones)
    targets = [target for target in map(_running_target, created) if target is not None]
    _store_next_due(case, min(targets, default=None))
    return created


def _current(case: Case, kind: str) -> Milestone | None:
    return Milestone.objects.select_for_update(no_key=True).filter(case=case, kind=kind).current().first()


def _save(milestone: Milestone, *fields: str) -> None:
    milestone.next_alert_at = schedule_next_alert(milestone)
    milestone.save(update_fields=[*fields, "next_alert_at"])


def milestone_achieve(*, case: Case, kind: str, at: datetime) -> Milestone | None:
    milestone = _current(case, kind)
    if milestone is None or milestone.achieved_at is not None:
        return None
    _end_pause(milestone, at)
    milestone.achieved_at = at
    _save(milestone, "achieved_at", "paused_at")
    case_next_due_refresh(case=case)
    return milestone


def milestone_reopen(*, case: Case, kind: str) -> Milestone | None:
    milestone = _current(case, kind)
    if milestone is None or milestone.achieved_at is None:
        return None
    milestone.achieved_at = None
    _save(milestone, "achieved_at")
    case_next_due_refresh(case=case)
    return milestone


def milestones_stop(*, case: Case) -> None:
    """A closed case raises no more alerts; unmet milestones keep their targets on the record."""
    Milestone.objects.filter(case=case).current().update(next_alert_at=None)


def milestones_resume_alerts(*, case: Case) -> None:
    for milestone in Milestone.objects.select_for_update(no_key=True).filter(case=case).current():
        _save(milestone)


def milestone_pause(*, case: Case, kind: str, at: datetime) -> Milestone | None:
    milestone = _current(case, kind)
    if milestone is None or not milestone.is_open or milestone.paused_at is not None:
        return None
    if not milestone.policy.pause_restoration_when_awaiting_reseller:
        return None
    milestone.paused_at = at
    MilestonePause.objects.create(milestone=milestone, started_at=at)
    _save(milestone, "paused_at")
    case_next_due_refresh(case=case)
    return milestone


def _end_pause(milestone: Milestone, at: datetime) -> None:
    if milestone.paused_at is None:
        return
    MilestonePause.objects.filter(milestone=milestone, ended_at__isnull=True).update(ended_at=at)
    milestone.paused_at = None


def milestone_resume(*, case: Case, kind: str, at: datetime) -> Milestone | None:
    """Moves the target (and warning) later by the time paused, measured in the target's own unit."""
    milestone = _current(case, kind)
    if milestone is None or milestone.paused_at is None:
        return None
    paused_from = milestone.paused_at
    _end_pause(milestone, at)
    if milestone.target_at is not None and milestone.breached_at is None:
        if milestone.unit == TargetUnit.WALL_MINUTES:
            shift = at - paused_from
            milestone.target_at += shift
            if milestone.warn_at is not None:
                milestone.warn_at += shift
        else:
            hours = business_calendar(milestone.calendar)
            milestone.target_at = _shift_business(hours, milestone.target_at, paused_from, at)
            if milestone.warn_at is not None:
                milestone.warn_at = _shift_business(hours, milestone.warn_at, paused_from, at)
    _save(milestone, "paused_at", "target_at", "warn_at")
    case_next_due_refresh(case=case)
    return milestone


def _shift_business(hours, instant: datetime, paused_from: datetime, resumed: datetime) -> datetime:  # type: ignore[no-untyped-def]
    if instant <= paused_from:
        return instant
    remaining = hours.business_seconds_between(paused_from, instant)
    # Fractional minutes keep the target's seconds; the arithmetic is in seconds underneath.
    return hours.add_business_minutes(resumed, remaining / 60)


def milestones_retarget(
    *, case: Case, at: datetime, reason: str, closed: bool = False
) -> list[Milestone]:
    """Severity changed: unmet milestones get the new severity's targets; met ones stay met."""
    policy = policy_for_case(case)
    created = []
    for kind in MilestoneKind:
        current = _current(case, kind)
        if current is None or current.achieved_at is not None:
            continue
        current.superseded_at = at
        current.superseded_reason = reason[:200]
        _end_pause(current, at)
        _save(current, "superseded_at", "superseded_reason", "paused_at")
        started = at if kind in RETARGETED_FROM_CHANGE else case.created_at
        replacement = _build(case, kind, policy, case.severity, started)
        if closed:
            replacement.next_alert_at = None  # a closed case raises no alerts, whatever its severity
        replacement.save()
        created.append(replacement)
    case_next_due_refresh(case=case)
    return created
