"""The beat sweep for what follows an outage: Care is warned before a post-mortem (still
unscheduled) or an incident report falls due, and alerted when it is overdue, once each.

Exactly once, as sla.alerts.sweep does it: the sweep reads next_alert_at and claims the alert with a
conditional UPDATE on the value it read, so a second beat (or a service that changed the row
meanwhile) matches nothing; the alert's outbox rows are written in the same transaction as the
claim, with a dedupe key naming the object and the level. A broker that is down at commit time
loses nothing: the rows wait in the outbox until its beat publishes them.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from cases.followups.emails import OVERDUE, WARNING, followup_alert_notify
from cases.followups.services import next_postmortem_alert, next_report_alert
from cases.models import IncidentReport, PostMortem

log = logging.getLogger(__name__)

SWEEP_BATCH = 500
# What each alert's email needs, read with the due rows.
RELATED = {PostMortem: ("case__assignee",), IncidentReport: ("post_mortem__case__assignee",)}


def _claim(item: PostMortem | IncidentReport, now: datetime) -> str | None:
    """Moves the item past this alert if nobody else has; returns the level raised."""
    model = type(item)
    read = item.next_alert_at
    updates: dict[str, object] = {}
    if item.due_at <= now:
        level = OVERDUE
        item.overdue_alerted_at = now
        updates["overdue_alerted_at"] = now
        if item.warned_at is None:
            item.warned_at = now  # past the due time a warning says nothing the alert does not
            updates["warned_at"] = now
    else:
        level = WARNING
        item.warned_at = now
        updates["warned_at"] = now
    updates["next_alert_at"] = (
        next_postmortem_alert(item) if isinstance(item, PostMortem) else next_report_alert(item)
    )
    claimed = model.objects.filter(pk=item.pk, next_alert_at=read).update(**updates)
    return level if claimed == 1 else None


def sweep_followups(now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """One beat tick: claims every due alert of post-mortems and incident reports and queues it."""
    now = now or timezone.now()
    raised = 0
    with transaction.atomic():
        models: tuple[type[PostMortem] | type[IncidentReport], ...] = (PostMortem, IncidentReport)
        for model in models:
            due: list[PostMortem | IncidentReport] = list(
                model.objects.filter(next_alert_at__isnull=False, next_alert_at__lte=now)
                .select_related(*RELATED[model]).order_by("next_alert_at")[:batch]
            )
            for item in due:
                level = _claim(item, now)
                if level is not None:
                    followup_alert_notify(item=item, level=level)
                    raised += 1
    return raised
