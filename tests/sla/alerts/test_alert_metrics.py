"""The alerts' metrics count what the sweep raised, and the sweep task records its duration."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sla.alerts.tasks import sweep_milestones
from tests.sla.due import make_due_milestones


def _value(text: str, sample: str) -> float:
    match = re.search(rf"^{re.escape(sample)} (\S+)$", text, re.MULTILINE)
    assert match, f"{sample} not in /metrics"
    return float(match.group(1))


@pytest.mark.django_db
def test_alerts_raised_and_sent_and_the_sweep_duration_appear_in_metrics(contact):
    before = Client().get("/metrics").content.decode()
    sweeps_before = _value(before, "portal_sla_sweep_duration_seconds_count")
    make_due_milestones(contact.reseller, count=3)

    assert sweep_milestones.delay().get() == 3

    text = Client().get("/metrics").content.decode()
    assert _value(text, 'portal_sla_alerts_raised_total{level="breach"}') == 3
    assert _value(text, 'portal_sla_alerts_sent_total{level="breach"}') == 3
    assert _value(text, 'portal_sla_alerts_raised_total{level="warning"}') == 0
    assert _value(text, "portal_sla_sweep_duration_seconds_count") == sweeps_before + 1
