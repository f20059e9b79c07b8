"""How a milestone reads to a person: words first, colour second."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from sla.clocks.models import Milestone


@dataclass(frozen=True)
class MilestoneState:
    code: str  # met, met_late, breached, at_risk, on_track, paused, stopped, none
    label: str
    detail: str
    css: str


def _duration(delta: timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(d)sd %(h)sh") % {"d": days, "h": hours}
    if hours:
        return _("%(h)sh %(m)smin") % {"h": hours, "m": minutes}
    return _("%(m)smin") % {"m": minutes}


def milestone_state(milestone: Milestone, now: datetime, case_open: bool = True) -> MilestoneState:
    target = milestone.target_at
    if target is None:
        return MilestoneState("none", _("No target"), "", "text-bg-light border")
    if milestone.achieved_at is not None:
        if milestone.achieved_at <= target:
            return MilestoneState("met", _("Met"), "", "text-bg-success")
        late = _duration(milestone.achieved_at - target)
        return MilestoneState("met_late", _("Met late"), _("%(late)s after target") % {"late": late},
                              "text-bg-danger")
    if not case_open:
        return MilestoneState("stopped", _("Stopped"), _("case closed"), "text-bg-secondary")
    if milestone.paused_at is not None:
        return MilestoneState("paused", _("Paused"), _("waiting on reseller"), "text-bg-secondary")
    if now >= target:
        return MilestoneState("breached", _("Breached"), _("overdue by %(t)s") % {"t": _duration(now - target)},
                              "text-bg-danger")
    left = _("%(t)s left") % {"t": _duration(target - now)}
    if milestone.warn_at is not None and now >= milestone.warn_at:
        return MilestoneState("at_risk", _("At risk"), left, "text-bg-warning")
    return MilestoneState("on_track", _("On track"), left, "text-bg-info")
