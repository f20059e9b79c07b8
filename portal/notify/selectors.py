"""Shared reads of the outbox: the backlog that /readyz and /metrics report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min
from django.utils import timezone

from portal.notify.models import Notification

# A healthy outbox sends a row within seconds of its commit; a minute old and still pending is late.
BACKLOG_AFTER = timedelta(minutes=1)


@dataclass(frozen=True)
class OutboxBacklog:
    count: int
    oldest_age: timedelta | None


def outbox_backlog(*, now: datetime | None = None, older_than: timedelta = BACKLOG_AFTER) -> OutboxBacklog:
    """Pending rows created more than `older_than` ago: waiting on a worker, a broker or SMTP."""
    now = now or timezone.now()
    totals = Notification.objects.filter(
        status=Notification.Status.PENDING, created_at__lte=now - older_than
    ).aggregate(count=Count("id"), oldest=Min("created_at"))
    oldest = totals["oldest"]
    return OutboxBacklog(count=totals["count"], oldest_age=(now - oldest) if oldest else None)
