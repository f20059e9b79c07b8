"""The follow-up emails as outbox rows: who gets each one (one message per reader), in their own
language and zone, unescaped plain text, nothing on rollback, and the sweep's alerts named after
the object and level."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from cases.followups import emails as followup_mail
from cases.followups import services as postmortems
from cases.followups.sweep import sweep_followups
from cases.models import PostMortem, Severity
from portal.notify.models import Notification
from tests.cases.followups.postmortem_helpers import held_post_mortem, resolved_case, utc
from tests.portal.factories import DesignatedContactFactory

pytestmark = pytest.mark.django_db

# 23:30 UTC on 1 December: 10:30 on the 2nd in Sydney, 18:30 on the 1st in New York.
MEETING = utc(2025, 12, 1, 23, 30)


def _open(staff, reseller, severity=Severity.HIGH) -> PostMortem:  # type: ignore[no-untyped-def]
    return resolved_case(staff=staff, reseller=reseller, severity=severity, resolved_at=utc(2025, 3, 14, 10, 0))[1]


def _readers() -> list[str]:
    assert all(len(message.to) == 1 for message in mail.outbox)
    return sorted(message.to[0] for message in mail.outbox)


def test_invitation_reads_in_each_readers_language_and_zone(staff, reseller, django_capture_on_commit_callbacks):
    greta = DesignatedContactFactory(reseller=reseller, user__username="greta", user__language="de",
                                     user__time_zone="Australia/Sydney").user
    sam = DesignatedContactFactory(reseller=reseller, user__username="sam", user__language="en",
                                   user__time_zone="America/New_York").user
    post_mortem = _open(staff, reseller)
    with django_capture_on_commit_callbacks(execute=True):
        postmortems.postmortem_schedule(post_mortem=post_mortem, actor=staff, meeting_at=MEETING,
                                        attendees="vendor@partner.test")
    by_reader = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_reader) == sorted([greta.email, sam.email, "vendor@partner.test"])
    assert "2 Dezember 2025, 10:30 Australia/Sydney" in by_reader[greta.email].body
    assert "1 December 2025, 18:30 America/New_York" in by_reader[sam.email].body
    assert "1 December 2025, 23:30 UTC" in by_reader["vendor@partner.test"].body  # a plain address
    assert "2 Dezember 2025, 10:30 Australia/Sydney" in by_reader[greta.email].alternatives[0][0]


def test_rows_of_a_rolled_back_schedule_are_never_sent(staff, reseller, contact, django_capture_on_commit_callbacks):
    post_mortem = _open(staff, reseller)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            postmortems.postmortem_schedule(post_mortem=post_mortem, actor=staff, meeting_at=MEETING)
            raise RuntimeError("the admin request failed after scheduling")
    assert not Notification.objects.exists() and mail.outbox == []
    post_mortem.refresh_from_db()
    assert post_mortem.status == PostMortem.Status.AWAITING_SCHEDULE


def test_admin_rejects_a_bad_attendee_with_a_form_error_and_sends_nothing(client_for, staff, reseller, contact):
    post_mortem = _open(staff, reseller)
    response = client_for(staff).post(f"/admin/cases/postmortem/{post_mortem.pk}/change/", {
        "decision": "schedule", "meeting_at_0": "2025-12-01", "meeting_at_1": "23:30:00", "duration_minutes": "60",
        "location": "", "attendees": "dba@northwind.test, not-an-address", "minutes": "",
        "root_cause_analysis": "", "not_applicable_reason": "",
    })
    assert response.status_code == 200
    assert "not-an-address is not an email address." in response.content.decode()
    assert not Notification.objects.exists()


def test_admin_invites_comma_separated_attendees_one_message_each(client_for, staff, reseller, contact,
                                                                 django_capture_on_commit_callbacks):
    post_mortem = _open(staff, reseller)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(f"/admin/cases/postmortem/{post_mortem.pk}/change/", {
            "decision": "schedule", "meeting_at_0": "2025-12-01", "meeting_at_1": "23:30:00",
            "duration_minutes": "60", "location": "", "attendees": "dba@northwind.test, ops@northwind.test",
            "minutes": "", "root_cause_analysis": "", "not_applicable_reason": "",
        })
    assert response.status_code == 302
    assert _readers() == sorted([contact.user.email, "dba@northwind.test", "ops@northwind.test"])
    assert {row.attachments[0]["mimetype"] for row in Notification.objects.all()} == {"text/calendar; method=REQUEST"}


def test_report_requested_goes_to_care_with_an_unescaped_subject(staff, contact, settings,
                                                               django_capture_on_commit_callbacks):
    settings.CARE_QUEUE_EMAIL = "queue@care.test"
    reseller = contact.reseller
    reseller.name = "R&D <Partners>"
    reseller.save()
    post_mortem = held_post_mortem(staff=staff, reseller=reseller, meeting_at=utc(2025, 3, 14, 14, 0))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        postmortems.incident_report_request(post_mortem=post_mortem, contact=contact.user,
                                            coverage_request="Timeline & causes")
    (message,) = mail.outbox
    assert message.to == ["queue@care.test"]
    assert message.subject == f"[{post_mortem.case.number}] R&D <Partners> requests an incident report"
    assert "Timeline & causes" in message.body
    assert "R&amp;D &lt;Partners&gt;" in message.alternatives[0][0]


def test_report_published_goes_to_each_designated_contact(staff, reseller, contact, second_contact, reader,
                                                          other_contact, django_capture_on_commit_callbacks):
    post_mortem = held_post_mortem(staff=staff, reseller=reseller, meeting_at=utc(2025, 3, 14, 14, 0))
    report = postmortems.incident_report_request(post_mortem=post_mortem, contact=contact.user,
                                                 coverage_request="Everything.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        postmortems.incident_report_publish(report=report, actor=staff, outage_explanation="a", timeline="b",
                                            root_causes="c", remediation_steps="d")
    assert _readers() == sorted([contact.user.email, second_contact.user.email])


def test_sweep_alert_rows_name_the_object_and_level_and_are_queued_once(staff, reseller,
                                                                         django_capture_on_commit_callbacks):
    post_mortem = _open(staff, reseller, severity=Severity.CRITICAL)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_followups(now=post_mortem.warn_at + timedelta(minutes=1)) == 1
        assert sweep_followups(now=post_mortem.due_at) == 1
    keys = sorted(Notification.objects.values_list("dedupe_key", flat=True))
    assert keys == [f"postmortem-overdue:{post_mortem.pk}", f"postmortem-warning:{post_mortem.pk}"]
    post_mortem.refresh_from_db()
    # A repeat of the same alert (say, a claim given back by hand) queues nothing more.
    assert followup_mail.followup_alert_notify(item=post_mortem, level="overdue")[0].status == "sent"
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2


def test_a_rolled_back_sweep_raises_the_alert_on_the_next_tick(staff, reseller, django_capture_on_commit_callbacks):
    post_mortem = _open(staff, reseller)
    now = post_mortem.due_at + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            assert sweep_followups(now=now) == 1
            raise RuntimeError("the beat died before commit")
    assert not Notification.objects.exists() and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_followups(now=now) == 1
    assert [m.subject for m in mail.outbox] == [f"[{post_mortem.case.number}] OVERDUE: post-mortem"]
