from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from sla.clocks.display import MilestoneState, milestone_state
from sla.clocks.models import Milestone
from sla.targets.models import MilestoneKind

register = template.Library()


@register.simple_tag
def milestone_view(milestone: Milestone, case_open: bool = True) -> MilestoneState:
    return milestone_state(milestone, timezone.now(), case_open)


_KIND_ORDER = {kind: index for index, kind in enumerate(MilestoneKind.values)}


@register.filter
def ordered_milestones(case: Any) -> list[Milestone]:
    """Response, restoration, resolution: the order the Support Guide lists them."""
    return sorted(getattr(case, "current_milestones", []), key=lambda m: _KIND_ORDER[m.kind])


@register.filter
def next_milestone(case: Any) -> Milestone | None:
    """The unmet milestone that falls due first: from the prefetched running_milestones (the
    unmet, unpaused ones, as CaseQuerySet.for_list fetches them), else current_milestones."""
    milestones = getattr(case, "running_milestones", None)
    if milestones is None:
        milestones = getattr(case, "current_milestones", [])
    unmet = [m for m in milestones if m.is_open and m.paused_at is None]
    return min(unmet, key=lambda m: m.target_at) if unmet else None
