"""The unplanned-maintenance banner in templates/base.html: only for resellers with an affected
account, and only until the maintenance is expected to end."""

from __future__ import annotations

from typing import Any

from django import template

from portal.access import membership_of

register = template.Library()


@register.inclusion_tag("sla/maintenance/_banner.html", takes_context=True)
def maintenance_banner(context: template.Context) -> dict[str, Any]:
    from sla.maintenance.services import unplanned_for_reseller

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notices": []}
    membership = membership_of(user)  # Care staff and users without a reseller see no banner
    return {"notices": unplanned_for_reseller(membership.reseller_id if membership else None)}
