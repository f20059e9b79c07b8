"""Reads the follow-up pages share; each starts from `visible_to(user)`."""

from __future__ import annotations

from typing import Any

from cases.models import IncidentReport, PostMortem
from portal.access import one_or_404


def postmortem_for(user: Any, number: str) -> PostMortem:
    """Post-mortems (and through them incident reports) follow their case's visibility."""
    queryset = PostMortem.objects.visible_to(user).select_related("case")
    return one_or_404(queryset, "post-mortem", case__number=number)


def published_report_for(user: Any, number: str) -> IncidentReport:
    queryset = IncidentReport.objects.visible_to(user).select_related(
        "post_mortem__case__account", "post_mortem__case__reseller"
    )
    return one_or_404(
        queryset, "incident report", post_mortem__case__number=number,
        status=IncidentReport.Status.PUBLISHED,
    )
