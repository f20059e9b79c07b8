"""How a case's milestones appear on its admin page; the Case admin composes this inline."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.admin_inlines import ReadOnlyInline
from sla.clocks.models import Milestone


class MilestoneInline(ReadOnlyInline):
    """On the case page: every target, including superseded ones, with how it was computed."""

    model = Milestone
    fields = ("kind", "severity", "policy", "unit", "amount", "started_at", "target_at", "warned_at",
              "breached_at", "achieved_at", "paused_at", "superseded_at", "superseded_reason")
    readonly_fields = fields
    verbose_name_plural = _("SLA milestones (read-only; re-targeted rows stay on record)")
    ordering = ("kind", "created_at")
