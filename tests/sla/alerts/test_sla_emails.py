"""Who hears about an SLA warning or breach, and what they read. Alerts come from the real sweep
(sla.alerts.sweep.sweep with an explicit now); each reader gets their own outbox row and message,
delivered eagerly in test settings."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction

from cases.intake import services
from portal.notify.models import Notification
from sla.alerts import sweep as alerts
from sla.clocks.services import milestones_retarget
from sla.models import Milestone, MilestoneAlert, SlaPolicy
from tests.sla.factories import SupportCalendarFactory, case_logged_at

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def addresses(settings):  # type: ignore[no-untyped-def]
    settings.CARE_QUEUE_EMAIL = "queue@care.test"
    settings.PORTAL_BASE_URL = "https://support.example.test"


@pytest.fixture
def case(addresses, contact, second_contact, reader, other_contact):  # type: ignore[no-untyped-def]
    """Business Care, High, logged Tue 2025-03-11 10:00 London (GMT = UTC): response warning at
    11:30, response due 12:00; restoration due Thu 13th 10:00."""
    return case_logged_at(london(2025, 3, 11, 10), calendar=SupportCalendarFactory(), reseller=contact.reseller)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    def run(now: datetime) -> list:
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            alerts.sweep(now=now)
        return mail.outbox[before:]

    return run


def html_of(message) -> str:  # type: ignore[no-untyped-def]
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_warning_goes_to_the_care_queue_only(case, sweep, contact, second_contact):
    [message] = sweep(london(2025, 3, 11, 11, 30))
    assert message.to == ["queue@care.test"]
    assert message.subject == f"[{case.number}] At risk: Response target"
    assert f"The Response target of case {case.number} is at risk." in message.body
    assert "due 11 March 2025, 12:00 UTC" in message.body
    assert "2 bh (Business Care for Cloud)" in message.body
    assert f"https://support.example.test/admin/cases/case/{case.pk}/change/" in message.body
    html = html_of(message)
    assert case.number in html and "Response" in html and "11 March 2025, 12:00 UTC" in html
    for address in (contact.user.email, second_contact.user.email):
        assert address not in message.to


def test_staff_alerts_go_to_the_assignee_when_there_is_one(case, sweep, staff):
    services.case_assign(case=case, actor=staff, assignee=staff)
    [message] = sweep(london(2025, 3, 11, 11, 30))
    assert message.to == ["casey@care.test"]


def test_breach_goes_to_staff_and_the_designated_contacts(case, sweep, contact, second_contact, reader,
                                                          other_contact):
    sweep(london(2025, 3, 11, 11, 30))
    staff_message, *reseller_messages = sweep(london(2025, 3, 11, 12))

    assert staff_message.to == ["queue@care.test"]
    assert staff_message.subject == f"[{case.number}] BREACHED: Response target"
    assert f"The Response target of case {case.number} has been breached." in staff_message.body
    assert "due 11 March 2025, 12:00 UTC" in staff_message.body
    assert "11 March 2025, 12:00 UTC" in html_of(staff_message)

    # One message per Designated Contact; a reader and another reseller's contact hear nothing.
    assert all(len(message.to) == 1 for message in reseller_messages)
    assert sorted(m.to[0] for m in reseller_messages) == sorted([contact.user.email, second_contact.user.email])
    for reseller_message in reseller_messages:
        assert reseller_message.subject == f"[{case.number}] Response target missed"
        assert f"Customer Care has missed the Response target of case {case.number}" in reseller_message.body
        assert "due 11 March 2025, 12:00 UTC" in reseller_message.body
        assert f"https://support.example.test/cases/{case.number}/" in reseller_message.body
        assert "/admin/" not in reseller_message.body
        html = html_of(reseller_message)
        assert f"<strong>{case.number}</strong>" in html and "11 March 2025, 12:00 UTC" in html


def test_breach_of_restoration_names_that_milestone(case, sweep, contact):
    sweep(london(2025, 3, 11, 12))  # response breached first
    staff_message, reseller_message, _second = sweep(london(2025, 3, 13, 10))
    assert staff_message.subject == f"[{case.number}] BREACHED: Restoration target"
    assert "2 bd (Business Care for Cloud), due 13 March 2025, 10:00 UTC" in staff_message.body
    assert reseller_message.to == [contact.user.email]
    assert reseller_message.subject == f"[{case.number}] Restoration target missed"
    assert "due 13 March 2025, 10:00 UTC" in reseller_message.body


def test_breach_is_not_sent_to_the_reseller_when_the_policy_says_so(case, sweep):
    SlaPolicy.objects.filter(code="business-care-for-cloud").update(notify_reseller_on_breach=False)
    [message] = sweep(london(2025, 3, 11, 12))
    assert message.to == ["queue@care.test"]
    assert "BREACHED" in message.subject


def test_a_breach_reaching_nobody_at_the_reseller_still_alerts_staff(addresses, sweep):
    lonely = case_logged_at(london(2025, 3, 11, 10), calendar=SupportCalendarFactory())  # no contacts
    [message] = sweep(london(2025, 3, 11, 12))
    assert message.to == ["queue@care.test"]
    assert lonely.number in message.subject


def test_alert_after_a_retarget_gives_the_new_due_time(case, sweep):
    case.severity = 1
    case.save(update_fields=["severity"])
    milestones_retarget(case=case, at=london(2025, 3, 11, 11), reason="2 - High -> 1 - Critical")
    [message] = sweep(london(2025, 3, 11, 11, 12))  # 75 % of 15 min = 11:11:15
    assert "At risk: Response" in message.subject
    assert "15 min (Business Care for Cloud), due 11 March 2025, 11:15 UTC" in message.body
    assert "12:00" not in message.body
    assert Milestone.objects.filter(case=case, kind="response").count() == 2


def test_each_contact_reads_the_breach_in_their_language_and_zone(addresses, sweep):
    from tests.portal.factories import DesignatedContactFactory, ResellerFactory

    reseller = ResellerFactory(name="Antipodes")
    greta = DesignatedContactFactory(reseller=reseller, user__username="greta", user__language="de",
                                     user__time_zone="Australia/Sydney").user
    sam = DesignatedContactFactory(reseller=reseller, user__username="sam", user__language="en",
                                   user__time_zone="America/New_York").user
    case = case_logged_at(london(2025, 3, 11, 10), calendar=SupportCalendarFactory(), reseller=reseller)
    _staff, *contacts = sweep(london(2025, 3, 11, 12))
    by_reader = {message.to[0]: message for message in contacts}
    # 12:00 UTC is 23:00 the same day in Sydney (AEDT) and 08:00 in New York (EDT); the month
    # name comes from Django's own German catalogue.
    assert "11 März 2025, 23:00 Australia/Sydney" in by_reader[greta.email].body
    assert "due 11 March 2025, 08:00 America/New_York" in by_reader[sam.email].body
    assert case.number in by_reader[greta.email].subject


def test_plain_text_is_not_escaped(addresses, contact, sweep):
    case = case_logged_at(london(2025, 3, 11, 10), calendar=SupportCalendarFactory(), reseller=contact.reseller)
    case.subject = "R&D <lab> is down"
    case.save(update_fields=["subject"])
    staff_message, reseller_message = sweep(london(2025, 3, 11, 12))
    assert "R&D <lab> is down" in staff_message.body and "&amp;" not in staff_message.body
    assert "R&D <lab> is down" in reseller_message.body
    assert "R&amp;D &lt;lab&gt;" in html_of(reseller_message)


def test_a_rolled_back_sweep_queues_nothing_and_the_next_one_raises_it(case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            assert alerts.sweep(now=london(2025, 3, 11, 11, 30)) == 1
            raise RuntimeError("the beat died before commit")
    assert not Notification.objects.exists() and not MilestoneAlert.objects.exists()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.sweep(now=london(2025, 3, 11, 11, 30)) == 1
    assert [m.to for m in mail.outbox] == [["queue@care.test"]]


def test_the_alert_rows_name_the_alert_and_are_not_queued_twice(case, sweep):
    sweep(london(2025, 3, 11, 12))
    alert = MilestoneAlert.objects.get(level="breach")
    rows = Notification.objects.filter(dedupe_key=f"milestone-alert:{alert.pk}")
    assert sorted(rows.values_list("kind", flat=True)) == ["sla_alert_staff", "sla_breach_reseller",
                                                            "sla_breach_reseller"]
    assert alert.sent_at is not None  # queued with the claim
    from sla.alerts.emails import milestone_alert_notify

    milestone_alert_notify(alert=alert)  # a repeat (say, a claim given back by hand) adds nothing
    assert rows.count() == 3
