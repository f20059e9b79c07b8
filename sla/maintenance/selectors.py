"""Reads the maintenance pages share."""

from __future__ import annotations

from portal.access import one_or_404
from portal.models import Reseller
from sla.maintenance.models import MaintenanceFeed


def maintenance_feed_reseller(token: str) -> Reseller:
    """The reseller whose current calendar-feed token this is; a revoked or unknown token is a 404."""
    feeds = MaintenanceFeed.objects.select_related("reseller")
    if not token:
        feeds = feeds.none()  # a revoked feed's token is null: never look one up by "nothing"
    return one_or_404(feeds, "feed", token=token).reseller
