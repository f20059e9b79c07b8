"""Which policy and target a case's milestone follows, and the instant it falls due."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sla.businesstime import BusinessCalendar
from sla.targets.models import MilestoneKind, SlaPolicy, SlaTarget, TargetUnit


def policy_for_package(package: str) -> SlaPolicy:
    return SlaPolicy.objects.get(scope=SlaPolicy.Scope.PACKAGE, support_package=package)


def target_for(policy: SlaPolicy, severity: int, kind: MilestoneKind | str) -> tuple[str, int]:
    """(unit, amount); a cell missing from the table means no target."""
    row = SlaTarget.objects.filter(policy=policy, severity=severity, kind=kind).values_list("unit", "amount").first()
    return row if row is not None else (TargetUnit.NONE, 0)


def deadline(calendar: BusinessCalendar, start: datetime, unit: str, amount: int) -> datetime | None:
    if unit == TargetUnit.NONE:
        return None
    if unit == TargetUnit.WALL_MINUTES:
        return start + timedelta(minutes=amount)
    if unit == TargetUnit.BUSINESS_MINUTES:
        return calendar.add_business_minutes(start, amount)
    if unit == TargetUnit.BUSINESS_DAYS:
        return calendar.add_business_days(start, amount)
    raise ValueError(f"unknown target unit {unit!r}")


def warning_instant(
    calendar: BusinessCalendar, start: datetime, target: datetime, unit: str, share: Decimal | float
) -> datetime:
    """When `share` of the milestone's own kind of time has passed (wall-clock or business)."""
    share = float(share)
    if unit == TargetUnit.WALL_MINUTES:
        return start + (target - start) * share
    total = calendar.business_seconds_between(start, target)
    return calendar.add_business_minutes(start, int(total * share // 60))


def describe(unit: str, amount: int) -> str:
    if unit == TargetUnit.NONE:
        return "n/a"
    if unit == TargetUnit.WALL_MINUTES:
        return f"{amount // 60} h" if amount % 60 == 0 else f"{amount} min"
    if unit == TargetUnit.BUSINESS_MINUTES:
        return f"{amount // 60} bh" if amount % 60 == 0 else f"{amount} business min"
    return f"{amount} bd"
