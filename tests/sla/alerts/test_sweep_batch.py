"""The batch claim: many due milestones in one UPDATE, one alert each, one outbox row per reader,
rendered at delivery; and alerts waiting undelivered are not published again on every idle tick."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from portal.notify.models import Notification
from portal.notify.services import notification_requeue_due
from sla.alerts import sweep as alerts
from sla.clocks.services import schedule_next_alert
from sla.models import Milestone, MilestoneAlert
from tests.sla.due import make_due_milestones

pytestmark = pytest.mark.django_db


def _warning_due(milestones: list[Milestone]) -> None:
    """Moves these milestones to "warning due now, deadline in an hour, not warned yet"."""
    now = timezone.now()
    for milestone in milestones:
        milestone.target_at = now + timedelta(hours=1)
        milestone.warn_at = now - timedelta(minutes=1)
        milestone.warned_at = None
        milestone.next_alert_at = schedule_next_alert(milestone)
        milestone.save()


def test_a_batch_claim_raises_one_alert_each_and_queues_one_row_per_reader(
    contact, second_contact, django_capture_on_commit_callbacks
):
    breaches = make_due_milestones(contact.reseller, count=40)
    warnings = make_due_milestones(contact.reseller, count=20)
    _warning_due(warnings)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.sweep(now=now) == 60

    raised = Counter(MilestoneAlert.objects.values_list("milestone_id", "level"))
    assert raised == {
        **{(m.pk, "breach"): 1 for m in breaches}, **{(m.pk, "warning"): 1 for m in warnings},
    }
    assert not MilestoneAlert.objects.filter(sent_at__isnull=True).exists()
    rows = Notification.objects.all()
    # A breach: the care queue and both Designated Contacts; a warning: the care queue only.
    assert rows.count() == 40 * 3 + 20
    assert Counter(rows.values_list("dedupe_key", "to_email")).most_common(1)[0][1] == 1
    by_alert = Counter(rows.values_list("dedupe_key", flat=True))
    for alert in MilestoneAlert.objects.all():
        assert by_alert[f"milestone-alert:{alert.pk}"] == (3 if alert.level == "breach" else 1)
    # Delivered (eagerly in tests): rendered for each reader, each Message-ID once.
    assert rows.filter(status="sent").count() == 140
    assert len(mail.outbox) == 140
    assert len({message.extra_headers["Message-ID"] for message in mail.outbox}) == 140
    subjects = Counter(message.subject for message in mail.outbox)
    for milestone in breaches:
        assert subjects[f"[{milestone.case.number}] BREACHED: Response target"] == 1
        assert subjects[f"[{milestone.case.number}] Response target missed"] == 2
    for milestone in warnings:
        assert subjects[f"[{milestone.case.number}] At risk: Response target"] == 1
    stored = Notification.objects.get(to_email=settings.CARE_QUEUE_EMAIL, kind="sla_alert_staff",
                                      object_id=breaches[0].case_id)
    assert stored.subject == f"[{breaches[0].case.number}] BREACHED: Response target"  # kept for retries
    assert breaches[0].case.number in stored.body_text and stored.body_html

    # A second tick finds nothing; neither does a beat an hour on (the warnings' breach is not due).
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.sweep(now=now) == 0
    assert Notification.objects.count() == 140


def test_the_claim_leaves_each_milestone_as_the_clock_services_would(contact):
    breaches = make_due_milestones(contact.reseller, count=3)
    warnings = make_due_milestones(contact.reseller, count=3)
    _warning_due(warnings)
    never_warned = make_due_milestones(contact.reseller, count=1)
    Milestone.objects.filter(pk=never_warned[0].pk).update(warned_at=None)
    now = timezone.now()
    assert alerts.sweep(now=now) == 7
    for milestone in Milestone.objects.filter(pk__in=[m.pk for m in breaches + warnings + never_warned]):
        assert milestone.next_alert_at == schedule_next_alert(milestone)
    for milestone in Milestone.objects.filter(pk__in=[m.pk for m in warnings]):
        assert (milestone.warned_at, milestone.breached_at) == (now, None)
        assert milestone.next_alert_at == milestone.target_at  # the breach comes next
    for milestone in Milestone.objects.filter(pk__in=[m.pk for m in breaches]):
        assert milestone.breached_at == milestone.target_at and milestone.next_alert_at is None
    # Past the deadline a warning never sent counts as given: no warning alert follows.
    (late,) = Milestone.objects.filter(pk=never_warned[0].pk)
    assert late.warned_at == now
    assert list(MilestoneAlert.objects.filter(milestone=late).values_list("level", flat=True)) == ["breach"]


def test_a_small_batch_takes_the_oldest_first_and_the_rest_next_tick(contact):
    milestones = make_due_milestones(contact.reseller, count=12)
    for offset, milestone in enumerate(milestones):
        Milestone.objects.filter(pk=milestone.pk).update(next_alert_at=milestone.target_at + timedelta(seconds=offset))
    now = timezone.now()
    assert alerts.sweep(now=now, batch=5) == 5
    assert set(MilestoneAlert.objects.values_list("milestone_id", flat=True)) == {m.pk for m in milestones[:5]}
    assert alerts.sweep(now=now, batch=5) == 5
    assert alerts.sweep(now=now, batch=5) == 2
    assert alerts.sweep(now=now, batch=5) == 0
    assert MilestoneAlert.objects.count() == 12


@pytest.fixture
def broker_holding_messages(monkeypatch) -> list[list[int]]:  # type: ignore[no-untyped-def]
    """A broker that takes every message and no worker that reads it: what was published, by row."""
    from portal.notify.tasks import deliver_notification, deliver_notifications

    published: list[list[int]] = []

    def one(args: tuple[int], **kwargs: Any) -> None:
        published.append([args[0]])

    def many(args: tuple[list[int]], **kwargs: Any) -> None:
        published.append(list(args[0]))

    monkeypatch.setattr(deliver_notification, "apply_async", one)
    monkeypatch.setattr(deliver_notifications, "apply_async", many)
    return published


def test_undelivered_alerts_are_not_published_again_on_every_idle_tick(
    contact, broker_holding_messages, django_capture_on_commit_callbacks
):
    make_due_milestones(contact.reseller, count=10)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.sweep(now=now) == 10
    assert len(broker_holding_messages) == 1  # the whole batch in one message
    rows = list(Notification.objects.values_list("pk", flat=True))
    assert sorted(broker_holding_messages[0]) == sorted(rows) and len(rows) == 20

    busy_ticks = []
    for minute in range(1, 61):  # an hour of beat ticks, one a minute, nobody delivering
        tick = now + timedelta(minutes=minute)
        with django_capture_on_commit_callbacks(execute=True):
            assert alerts.sweep(now=tick) == 0  # the sweep itself never publishes again
        if notification_requeue_due(now=tick):
            busy_ticks.append(minute)
    per_row = Counter(pk for message in broker_holding_messages[1:] for pk in message)
    # Before: every row again every two minutes (30 times an hour). Now the gap grows with the
    # row's age: about 2, 4, 8, 16, 32 minutes after it was queued, then at most hourly.
    assert set(per_row) == set(rows)  # none is forgotten
    assert max(per_row.values()) <= 5
    assert len(busy_ticks) <= 5 and busy_ticks[0] <= 3  # the first try after the grace period
    assert Notification.objects.filter(status="pending").count() == 20  # still waiting, not failed
