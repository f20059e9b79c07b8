"""The Prometheus endpoint: process metrics (request latency from django-prometheus) plus gauges
computed from the database at each scrape.

Database-derived values (outbox backlog, alerts raised and sent) are right whichever gunicorn
worker answers the scrape, however many there are. Process metrics (request latency, the sweep's
duration in a worker) are per process: set PROMETHEUS_MULTIPROC_DIR to a folder shared by all
processes of one host, and the scrape sums them (see docs/deploy.md)."""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from portal.notify.selectors import outbox_backlog

# Collectors that query the database; each topic registers its own (sla registers the alerts').
SCRAPE_REGISTRY = CollectorRegistry(auto_describe=False)
TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


_registered: set[type[Collector]] = set()


def scrape_collector_register(collector: Collector) -> None:
    """One collector per class: a module imported again (a test reloading it) adds nothing."""
    if type(collector) not in _registered:
        _registered.add(type(collector))
        SCRAPE_REGISTRY.register(collector)


class OutboxCollector(Collector):
    def collect(self) -> Iterable[Metric]:
        backlog = outbox_backlog()
        yield GaugeMetricFamily(
            "portal_outbox_backlog", "Outbox emails still pending more than a minute after they were queued.",
            value=backlog.count,
        )
        yield GaugeMetricFamily(
            "portal_outbox_oldest_pending_age_seconds", "Age of the oldest outbox email in the backlog (0 if none).",
            value=backlog.oldest_age.total_seconds() if backlog.oldest_age else 0.0,
        )


def _process_registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


def _client_ip_allowed(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(allowed, strict=False) for allowed in settings.METRICS_ALLOWED_IPS)


def _bearer_token_matches(request: HttpRequest) -> bool:
    expected = settings.METRICS_BEARER_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(expected) and hmac.compare_digest(given.encode(), f"Bearer {expected}".encode())


def may_scrape(request: HttpRequest) -> bool:
    """A bearer token when one is set (behind a proxy every client has the proxy's address), else
    only the addresses (or networks) in METRICS_ALLOWED_IPS."""
    if settings.METRICS_BEARER_TOKEN:
        return _bearer_token_matches(request)
    return _client_ip_allowed(request)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not may_scrape(request):
        return HttpResponseForbidden("Forbidden\n", content_type="text/plain")
    body = generate_latest(_process_registry()) + generate_latest(SCRAPE_REGISTRY)
    return HttpResponse(body, content_type=TEXT_CONTENT_TYPE)


scrape_collector_register(OutboxCollector())
