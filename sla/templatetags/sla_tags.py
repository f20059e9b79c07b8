from __future__ import annotations

from django import template
from django.utils import timezone

from sla.display import MilestoneState, milestone_state
from sla.models import Milestone

register = template.Library()


@register.simple_tag
def milestone_view(milestone: Milestone, case_open: bool = True) -> MilestoneState:
    return milestone_state(milestone, timezone.now(), case_open)
