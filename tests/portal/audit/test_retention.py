from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.audit.services import audit_prune
from portal.audit.tasks import prune_audit_events
from tests.portal.audit.factories import AuditEventFactory

pytestmark = pytest.mark.django_db


def test_the_daily_task_deletes_only_rows_older_than_the_retention(settings):  # type: ignore[no-untyped-def]
    settings.AUDIT_RETENTION_DAYS = 400
    now = timezone.now()
    old = [AuditEventFactory(at=now - timedelta(days=400, hours=1)) for _ in range(3)]
    kept = [AuditEventFactory(at=now - timedelta(days=399, hours=23)), AuditEventFactory(at=now)]
    assert prune_audit_events.delay().get() == 3
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == {event.pk for event in kept}
    assert not AuditEvent.objects.filter(pk__in=[event.pk for event in old]).exists()


def test_pruning_works_through_many_batches():
    now = timezone.now()
    AuditEvent.objects.bulk_create([AuditEvent(kind="login_failed", at=now - timedelta(days=30)) for _ in range(25)])
    AuditEventFactory(at=now)
    assert audit_prune(retention_days=10, batch_size=4) == 25
    assert AuditEvent.objects.count() == 1


def test_the_beat_runs_it_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["audit-prune"]
    assert entry["task"] == prune_audit_events.name and entry["schedule"] == 24 * 3600.0
