"""The scale-out profile's end-of-run checks find what they are there to find (the profile itself
runs real processes and is started by .ci/run, not by pytest)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail
from django.utils import timezone

from portal.notify.models import Notification
from sla.alerts import sweep as alerts
from sla.models import Milestone, MilestoneAlert
from tests.scaleout.data import exactly_once_failures
from tests.sla.due import make_due_milestones

pytestmark = pytest.mark.django_db


@pytest.fixture
def swept(contact, second_contact, django_capture_on_commit_callbacks) -> Counter[str]:  # type: ignore[no-untyped-def]
    make_due_milestones(contact.reseller, count=3)
    Milestone.objects.update(warned_at=None)  # in the profile's database only the sweep sets it
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.sweep(now=timezone.now()) == 3
    return Counter(message.extra_headers["Message-ID"] for message in mail.outbox)


def test_a_clean_run_passes_and_counts_what_it_saw(swept):
    failures, totals = exactly_once_failures(swept)
    assert failures == []
    assert (totals["alerts"], totals["breaches"], totals["outbox rows"], totals["smtp messages"]) == (3, 3, 9, 9)


def test_a_message_seen_twice_or_never_fails(swept):
    twice, never = list(swept)[:2]
    seen = swept.copy()
    seen[twice] += 1
    del seen[never]
    failures, _totals = exactly_once_failures(seen)
    assert f"SMTP saw {twice} 2 times" in failures and f"SMTP saw {never} 0 times" in failures


def test_an_unsent_row_a_missing_reader_and_an_unraised_claim_fail(swept):
    Notification.objects.filter(pk=Notification.objects.order_by("pk").first().pk).update(status="pending")
    alert = MilestoneAlert.objects.first()
    Notification.objects.filter(dedupe_key=f"milestone-alert:{alert.pk}", kind="sla_breach_reseller").first().delete()
    MilestoneAlert.objects.exclude(pk=alert.pk).first().delete()
    failures, _totals = exactly_once_failures(swept)
    assert "1 outbox rows not sent" in failures
    assert f"alert {alert.pk}: 1 reseller rows, expected 2" in failures
    assert any(failure.startswith("alerts raised 2 != claims 3") for failure in failures)
    assert Milestone.objects.count() == 3
