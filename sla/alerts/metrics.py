"""The SLA alerts' metrics: raised and handed to the outbox (from the database at each scrape, so
right under many web processes) and the sweep's duration (a histogram in the worker process)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q
from prometheus_client import Histogram
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from portal.observability.metrics import scrape_collector_register
from sla.alerts.models import MilestoneAlert

SWEEP_DURATION = Histogram(
    "portal_sla_sweep_duration_seconds",
    "Duration of one SLA alert sweep tick (observed in the Celery worker that ran it).",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)


class AlertsCollector(Collector):
    def collect(self) -> Iterable[Metric]:
        raised = CounterMetricFamily(
            "portal_sla_alerts_raised", "SLA warnings and breach alerts raised, by level.", labels=["level"]
        )
        sent = CounterMetricFamily(
            "portal_sla_alerts_sent", "SLA alerts whose emails were handed to the outbox, by level.", labels=["level"]
        )
        rows = MilestoneAlert.objects.values("level").annotate(
            raised=Count("id"), sent=Count("id", filter=Q(sent_at__isnull=False))
        ).order_by("level")
        counts = {row["level"]: row for row in rows}
        for level in MilestoneAlert._meta.get_field("level").choices or ():
            row = counts.get(level[0], {"raised": 0, "sent": 0})
            raised.add_metric([level[0]], row["raised"])
            sent.add_metric([level[0]], row["sent"])
        yield raised
        yield sent


scrape_collector_register(AlertsCollector())
