"""The beat sweep for what follows an outage: Care is warned before a post-mortem (still
unscheduled) or an incident report falls due, and alerted when it is overdue, once each.

Exactly once, as sla.alerts.sweep does it: the sweep reads next_alert_at and claims the alert with a
conditional UPDATE on the value it read, so a second beat (or a service that changed the row
meanwhile) matches nothing; the email is queued only after the claim commits.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from cases.followups.emails import AlertLevel
from cases.followups.services import next_postmortem_alert, next_report_alert
from cases.models import IncidentReport, PostMortem

log = logging.getLogger(__name__)

SWEEP_BATCH = 500
NEXT_ALERT = {"postmortem": next_postmortem_alert, "incidentreport": next_report_alert}


Claim = tuple[type[PostMortem] | type[IncidentReport], int, AlertLevel, dict[str, object], dict[str, object]]


def _claim(item: PostMortem | IncidentReport, now: datetime) -> Claim | None:
    model = type(item)
    read = item.next_alert_at
    before = {"next_alert_at": read, "warned_at": item.warned_at, "overdue_alerted_at": item.overdue_alerted_at}
    updates: dict[str, object] = {}
    if item.due_at <= now:
        level = AlertLevel.OVERDUE
        item.overdue_alerted_at = now
        updates["overdue_alerted_at"] = now
        if item.warned_at is None:
            item.warned_at = now  # past the due time a warning says nothing the alert does not
            updates["warned_at"] = now
    else:
        level = AlertLevel.WARNING
        item.warned_at = now
        updates["warned_at"] = now
    updates["next_alert_at"] = NEXT_ALERT[model._meta.model_name](item)  # type: ignore[operator]
    claimed = model.objects.filter(pk=item.pk, next_alert_at=read).update(**updates)
    if claimed != 1:
        return None
    return model, item.pk, level, before, updates


def _enqueue(claim: Claim) -> None:
    from cases.followups.tasks import deliver_followup_alert

    model, object_id, level, before, after = claim
    try:
        deliver_followup_alert.delay(model._meta.model_name, object_id, str(level))
    except Exception:
        # The broker is down: give the claim back, so the next tick raises this alert again
        # instead of losing it (only if nothing else changed the row meanwhile).
        model.objects.filter(pk=object_id, next_alert_at=after["next_alert_at"]).update(**before)
        log.warning("could not queue %s %s %s alert; the next sweep retries", model, object_id, level,
                    exc_info=True)


def sweep_followups(now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """One beat tick: claims every due alert of post-mortems and incident reports."""
    now = now or timezone.now()
    raised: list[Claim] = []
    with transaction.atomic():
        for model in (PostMortem, IncidentReport):
            due = list(
                model.objects.filter(next_alert_at__isnull=False, next_alert_at__lte=now)
                .order_by("next_alert_at")[:batch]
            )
            for item in due:
                claim = _claim(item, now)
                if claim is not None:
                    raised.append(claim)
        if raised:
            transaction.on_commit(lambda: [_enqueue(claim) for claim in raised])
    return len(raised)
