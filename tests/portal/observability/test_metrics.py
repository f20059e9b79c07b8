"""/metrics: refused to strangers, and its gauges come from the database at each scrape."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.portal.notify.factories import NotificationFactory


def _value(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    assert match, f"{name} not in /metrics"
    return float(match.group(1))


@pytest.mark.django_db
def test_metrics_is_refused_from_an_address_not_allowed(settings):
    settings.METRICS_ALLOWED_IPS = ["10.1.2.0/24"]
    assert Client(REMOTE_ADDR="192.0.2.7").get("/metrics").status_code == 403
    assert Client(REMOTE_ADDR="10.1.2.9").get("/metrics").status_code == 200


@pytest.mark.django_db
def test_with_a_bearer_token_set_only_the_token_opens_metrics(settings):
    settings.METRICS_BEARER_TOKEN = "s3cret-scrape-token"
    # The allowed address alone is not enough once a token is set (behind a proxy it is everyone).
    assert Client().get("/metrics").status_code == 403
    wrong = {"Authorization": "Bearer guess"}
    assert Client().get("/metrics", headers=wrong).status_code == 403
    right = {"Authorization": "Bearer s3cret-scrape-token"}
    assert Client().get("/metrics", headers=right).status_code == 200


@pytest.mark.django_db
def test_metrics_exposes_the_outbox_backlog_and_request_latency():
    old = timezone.now() - timedelta(minutes=10)
    NotificationFactory.create_batch(3, created_at=old)
    NotificationFactory()  # fresh: not backlog
    Client().get("/healthz")
    response = Client().get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert _value(text, "portal_outbox_backlog") == 3
    assert 590 <= _value(text, "portal_outbox_oldest_pending_age_seconds") <= 660
    assert 'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="healthz"}' in text
    for level in ("warning", "breach"):
        assert f'portal_sla_alerts_raised_total{{level="{level}"}}' in text
        assert f'portal_sla_alerts_sent_total{{level="{level}"}}' in text
    assert "portal_sla_sweep_duration_seconds_count" in text
