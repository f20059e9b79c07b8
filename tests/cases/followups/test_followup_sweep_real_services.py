"""The follow-up sweep against a real broker that is down when the alert is claimed: the claim and
the alert's outbox row commit together, so nothing is lost and the row is delivered once."""

from __future__ import annotations

import subprocess
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cases.followups.sweep import sweep_followups
from cases.models import Severity
from portal.notify.models import Notification
from portal.notify.services import PUBLISH_GRACE, notification_requeue_due
from tests.cases.followups.postmortem_helpers import resolved_case, utc
from tests.real_services import port_open, wait_for

pytestmark = pytest.mark.services


def test_followup_alert_with_the_broker_down_waits_in_the_outbox_and_is_sent_once(own_redis, staff, reseller,
                                                                                   caplog):
    from celery.contrib.testing.worker import start_worker

    app, command, port = own_redis
    _, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.HIGH,
                                   resolved_at=utc(2025, 3, 14, 10, 0))
    now = post_mortem.due_at + timedelta(minutes=1)
    assert sweep_followups(now=now) == 1  # claimed and queued; the broker is down at commit
    assert "the beat will re-queue them" in caplog.text
    post_mortem.refresh_from_db()
    assert post_mortem.overdue_alerted_at == now and post_mortem.next_alert_at is None  # the claim stands
    (row,) = Notification.objects.all()
    assert row.status == "pending" and row.dedupe_key == f"postmortem-overdue:{post_mortem.pk}"
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: port_open(port), 10)
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
            assert sweep_followups(now=now + timedelta(hours=1)) == 0  # nothing to raise again
            later = timezone.now() + PUBLISH_GRACE
            assert notification_requeue_due(now=later) == 1
            assert wait_for(lambda: Notification.objects.filter(status="sent").count() == 1)
            assert notification_requeue_due(now=later + timedelta(hours=2)) == 0
            time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert [m.subject for m in mail.outbox] == [f"[{post_mortem.case.number}] OVERDUE: post-mortem"]
