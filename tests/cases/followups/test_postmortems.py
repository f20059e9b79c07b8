"""Post-mortems: due dates on the end user's calendar, the .ics invitation, the RCA rule, the
not-applicable reason the reseller sees, the admin queue and the beat alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from icalendar import Calendar

from cases.followups import services as postmortems
from cases.followups.sweep import sweep_followups
from cases.models import CaseEvent, PostMortem, Severity
from tests.cases.followups.postmortem_helpers import resolved_case, utc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("severity", "resolved_at", "expected_due"),
    [
        # Fri 10:00 + 2 bd: weekend and the Monday holiday skipped -> Wed 10:00.
        (Severity.CRITICAL, utc(2025, 3, 14, 10, 0), utc(2025, 3, 19, 10, 0)),
        # Fri 10:00 + 5 bd: Tue, Wed, Thu, Fri, Mon -> Mon 24th 10:00.
        (Severity.HIGH, utc(2025, 3, 14, 10, 0), utc(2025, 3, 24, 10, 0)),
        # Thu 15:30 + 5 bd: Fri, (weekend, holiday), Tue, Wed, Thu, Fri -> Fri 21st 15:30.
        (Severity.HIGH, utc(2025, 3, 13, 15, 30), utc(2025, 3, 21, 15, 30)),
        # Saturday: the clock starts Tue 08:00 (Mon is the holiday); 2 bd of working time -> Wed close.
        (Severity.CRITICAL, utc(2025, 3, 15, 12, 0), utc(2025, 3, 19, 18, 0)),
        # Saturday, High: 5 bd of working time from Tue 08:00 -> Mon 24th at the close.
        (Severity.HIGH, utc(2025, 3, 15, 12, 0), utc(2025, 3, 24, 18, 0)),
    ],
)
def test_post_mortem_due_in_business_days_of_service_resolution(staff, reseller, severity, resolved_at, expected_due):
    case, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=severity, resolved_at=resolved_at)
    assert post_mortem.due_at == expected_due
    assert post_mortem.status == PostMortem.Status.AWAITING_SCHEDULE
    assert post_mortem.next_alert_at == post_mortem.warn_at < expected_due
    case.refresh_from_db()
    assert case.service_resolved_at == resolved_at
    events = list(case.events.values_list("kind", "due_at"))
    assert events == [(CaseEvent.Kind.SERVICE_RESOLUTION, None), (CaseEvent.Kind.POSTMORTEM, expected_due)]


def test_medium_case_records_resolution_without_post_mortem(staff, reseller):
    case, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.MEDIUM,
                                      resolved_at=utc(2025, 3, 14, 10, 0))
    assert post_mortem is None
    assert not PostMortem.objects.exists()
    assert case.events.get().kind == CaseEvent.Kind.SERVICE_RESOLUTION
    with pytest.raises(ValidationError):
        postmortems.case_record_service_resolution(case=case, actor=staff, at=utc(2025, 3, 14, 11, 0))


def test_resolution_from_admin_action_opens_post_mortem(client_for, staff, reseller):
    from tests.cases.factories import CaseFactory

    case = CaseFactory(account__reseller=reseller, priority=Severity.HIGH, severity=Severity.HIGH)
    response = client_for(staff).post("/admin/cases/case/", {
        "action": "record_service_resolution", "_selected_action": [case.pk],
    })
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.service_resolved_at is not None
    assert case.post_mortem.due_at > case.service_resolved_at


def _ics_of(message, method: str = "REQUEST") -> tuple[Calendar, str]:  # type: ignore[no-untyped-def]
    """The one .ics part, as a mail client sees it: text/calendar with the iTIP method."""
    assert len(message.to) == 1
    parts = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == method
    assert parts[0].get_filename() == "invite.ics"
    raw = parts[0].get_payload(decode=True).decode()
    return Calendar.from_ical(raw), raw


def _by_reader(messages) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {message.to[0]: message for message in messages}


def test_invitation_update_and_cancellation_ics(staff, reseller, contact, reader,
                                                django_capture_on_commit_callbacks):
    case, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.CRITICAL,
                                      resolved_at=utc(2025, 3, 14, 10, 0))
    meeting = utc(2025, 3, 18, 14, 0)
    with django_capture_on_commit_callbacks(execute=True):
        postmortems.postmortem_schedule(post_mortem=post_mortem, actor=staff, meeting_at=meeting,
                                        duration_minutes=45, location="Bridge 42",
                                        attendees="dba@northwind.test")
    # One message each: the Designated Contact and the attendee staff typed in; not a reader.
    invitations = _by_reader(mail.outbox)
    assert sorted(invitations) == sorted([contact.user.email, "dba@northwind.test"])
    assert _ics_of(invitations["dba@northwind.test"])[0].to_ical() != b""
    calendar, raw = _ics_of(invitations[contact.user.email])
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    uid = str(event["UID"])
    assert uid == str(post_mortem.ics_uid)
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == meeting
    assert event.decoded("DTEND") == meeting + timedelta(minutes=45)
    assert "DTSTART:20250318T140000Z" in raw and "DTEND:20250318T144500Z" in raw
    assert str(event["ORGANIZER"]) == "mailto:care@example.com"
    attendees = sorted(str(a) for a in event.get("ATTENDEE"))
    assert attendees == sorted([f"mailto:{contact.user.email}", "mailto:dba@northwind.test"])
    assert str(event["LOCATION"]) == "Bridge 42"

    moved = utc(2025, 3, 19, 9, 30)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        postmortems.postmortem_schedule(post_mortem=post_mortem, actor=staff, meeting_at=moved,
                                        attendees="dba@northwind.test")
    assert sorted(_by_reader(mail.outbox)) == sorted([contact.user.email, "dba@northwind.test"])
    update = _by_reader(mail.outbox)[contact.user.email]
    calendar, raw = _ics_of(update)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert "DTSTART:20250319T093000Z" in raw
    assert "Updated" in update.subject

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        postmortems.postmortem_cancel(post_mortem=post_mortem, actor=staff)
    # The cancellation reaches the same people.
    assert sorted(_by_reader(mail.outbox)) == sorted([contact.user.email, "dba@northwind.test"])
    calendar, raw = _ics_of(_by_reader(mail.outbox)["dba@northwind.test"], method="CANCEL")
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2
    post_mortem.refresh_from_db()
    assert post_mortem.status == PostMortem.Status.AWAITING_SCHEDULE
    labels = list(case.events.filter(kind=CaseEvent.Kind.POSTMORTEM).values_list("new_value", flat=True))
    assert labels[1:] == ["Meeting scheduled: 2025-03-18 14:00 UTC", "Meeting rescheduled: 2025-03-19 09:30 UTC",
                          "Meeting cancelled"]


def test_critical_post_mortem_needs_root_cause_analysis(staff, reseller):
    _, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.CRITICAL,
                                   resolved_at=utc(2025, 3, 14, 10, 0))
    postmortems.postmortem_schedule(post_mortem=post_mortem, actor=staff, meeting_at=utc(2025, 3, 18, 14, 0))
    with pytest.raises(ValidationError) as raised:
        postmortems.postmortem_complete(post_mortem=post_mortem, actor=staff, minutes="Held.", root_cause_analysis=" ")
    assert "root_cause_analysis" in raised.value.message_dict
    post_mortem.refresh_from_db()
    assert post_mortem.status == PostMortem.Status.SCHEDULED
    postmortems.postmortem_complete(post_mortem=post_mortem, actor=staff, minutes="Held.",
                                    root_cause_analysis="Certificate expired on the SBC.")
    post_mortem.refresh_from_db()
    assert post_mortem.status == PostMortem.Status.COMPLETED and post_mortem.next_alert_at is None


def test_high_post_mortem_completes_without_rca(staff, reseller):
    _, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.HIGH,
                                   resolved_at=utc(2025, 3, 14, 10, 0))
    postmortems.postmortem_schedule(post_mortem=post_mortem, actor=staff, meeting_at=utc(2025, 3, 18, 14, 0))
    done = postmortems.postmortem_complete(post_mortem=post_mortem, actor=staff, minutes="Held.")
    assert done.status == PostMortem.Status.COMPLETED


def _admin_form(post_mortem, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "decision": "", "meeting_at_0": "", "meeting_at_1": "", "duration_minutes": "60", "location": "",
        "attendees": "", "minutes": "", "root_cause_analysis": "", "not_applicable_reason": "",
    }
    data.update(overrides)
    return data


def test_admin_shows_missing_rca_as_form_error(client_for, staff, reseller):
    _, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.CRITICAL,
                                   resolved_at=utc(2025, 3, 14, 10, 0))
    client = client_for(staff)
    url = f"/admin/cases/postmortem/{post_mortem.pk}/change/"
    response = client.post(url, _admin_form(post_mortem, decision="schedule", meeting_at_0="2025-03-18",
                                            meeting_at_1="14:00:00", location="Bridge"))
    assert response.status_code == 302, response.content.decode()[:3000]
    post_mortem.refresh_from_db()
    assert post_mortem.status == PostMortem.Status.SCHEDULED and post_mortem.location == "Bridge"
    response = client.post(url, _admin_form(post_mortem, decision="complete", meeting_at_0="2025-03-18",
                                            meeting_at_1="14:00:00", minutes="We met."))
    assert response.status_code == 200
    assert "needs the root cause analysis" in response.content.decode()
    post_mortem.refresh_from_db()
    assert post_mortem.status == PostMortem.Status.SCHEDULED
    response = client.post(url, _admin_form(post_mortem, decision="complete", meeting_at_0="2025-03-18",
                                            meeting_at_1="14:00:00", minutes="We met.",
                                            root_cause_analysis="Expired certificate."))
    assert response.status_code == 302
    post_mortem.refresh_from_db()
    assert post_mortem.status == PostMortem.Status.COMPLETED


def test_admin_queue_is_ordered_by_due_date_and_filters(client_for, staff, reseller):
    late_case, _ = resolved_case(staff=staff, reseller=reseller, severity=Severity.HIGH,
                                 resolved_at=utc(2025, 3, 14, 10, 0))
    early_case, early = resolved_case(staff=staff, reseller=reseller, severity=Severity.CRITICAL,
                                      resolved_at=utc(2025, 3, 14, 10, 0))
    postmortems.postmortem_mark_not_applicable(post_mortem=early, actor=staff, reason="Upstream carrier fault.")
    page = client_for(staff).get("/admin/cases/postmortem/").content.decode()
    assert page.index(early_case.number) < page.index(late_case.number)
    page = client_for(staff).get("/admin/cases/postmortem/", {"status__exact": "awaiting_schedule"}).content.decode()
    assert late_case.number in page and early_case.number not in page


def test_not_applicable_reason_is_shown_to_the_reseller(staff, reseller, contact, reader, client_for):
    case, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.HIGH,
                                      resolved_at=utc(2025, 3, 14, 10, 0))
    with pytest.raises(ValidationError):
        postmortems.postmortem_mark_not_applicable(post_mortem=post_mortem, actor=staff, reason="  ")
    postmortems.postmortem_mark_not_applicable(
        post_mortem=post_mortem, actor=staff, reason="The outage was caused by the end user's own firewall."
    )
    for member in (contact, reader):
        page = client_for(member.user).get(f"/post-mortems/{case.number}/").content.decode()
        assert "Not applicable" in page
        assert "caused by the end user&#x27;s own firewall" in page
        listing = client_for(member.user).get("/post-mortems/").content.decode()
        assert case.number in listing and "Not applicable" in listing
    timeline = client_for(contact.user).get(f"/cases/{case.number}/").content.decode()
    assert "caused by the end user&#x27;s own firewall" in timeline
    post_mortem.refresh_from_db()
    assert post_mortem.next_alert_at is None


def test_timeline_and_list_show_due_times(staff, reseller, contact, other_contact, client_for):
    case, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.CRITICAL,
                                      resolved_at=utc(2025, 3, 14, 10, 0))
    timeline = client_for(contact.user).get(f"/cases/{case.number}/").content.decode()
    assert 'datetime="2025-03-19T10:00:00+00:00"' in timeline
    assert "Service resolution recorded" in timeline
    listing = client_for(contact.user).get("/post-mortems/").content.decode()
    assert 'datetime="2025-03-19T10:00:00+00:00"' in listing and "To be scheduled" in listing
    assert case.number not in client_for(other_contact.user).get("/post-mortems/").content.decode()
    assert client_for(other_contact.user).get(f"/post-mortems/{case.number}/").status_code == 404


def test_beat_warns_then_alerts_overdue_exactly_once(staff, reseller, django_capture_on_commit_callbacks):
    case, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.CRITICAL,
                                      resolved_at=utc(2025, 3, 14, 10, 0))
    assert post_mortem.warn_at == utc(2025, 3, 18, 10, 0)
    before_warning = post_mortem.warn_at - timedelta(minutes=1)
    assert sweep_followups(now=before_warning) == 0
    warning_time = post_mortem.warn_at + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_followups(now=warning_time) == 1
        assert sweep_followups(now=warning_time) == 0
    assert [m.subject for m in mail.outbox] == [f"[{case.number}] Due soon: post-mortem"]
    assert mail.outbox[0].to == ["care-queue@example.com"]
    overdue_time = post_mortem.due_at + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_followups(now=overdue_time) == 1
        assert sweep_followups(now=overdue_time) == 0
        assert sweep_followups(now=overdue_time + timedelta(days=3)) == 0
    assert [m.subject for m in mail.outbox][1:] == [f"[{case.number}] OVERDUE: post-mortem"]
    post_mortem.refresh_from_db()
    assert post_mortem.warned_at == warning_time and post_mortem.overdue_alerted_at == overdue_time
    assert post_mortem.next_alert_at is None


def test_scheduled_post_mortem_skips_warning_and_goes_to_assignee(staff, reseller, django_capture_on_commit_callbacks):
    case, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.HIGH,
                                      resolved_at=utc(2025, 3, 14, 10, 0))
    case.assignee = staff
    case.save()
    postmortems.postmortem_schedule(post_mortem=post_mortem, actor=staff, meeting_at=utc(2025, 3, 20, 14, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_followups(now=post_mortem.warn_at + timedelta(minutes=1)) == 0
        assert sweep_followups(now=post_mortem.due_at) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff.email]
    assert "OVERDUE" in mail.outbox[0].subject


def test_a_stale_read_claims_nothing(staff, reseller, django_capture_on_commit_callbacks):
    """Two beats that read the same row: only the first conditional UPDATE matches."""
    from cases.followups.sweep import _claim

    _, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.HIGH,
                                   resolved_at=utc(2025, 3, 14, 10, 0))
    first = PostMortem.objects.get(pk=post_mortem.pk)
    second = PostMortem.objects.get(pk=post_mortem.pk)
    now = post_mortem.warn_at + timedelta(minutes=5)
    assert _claim(first, now) == "warning"
    assert _claim(second, now) is None


def test_admin_keeps_draft_minutes_without_completing(client_for, staff, reseller):
    _, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.HIGH,
                                   resolved_at=utc(2025, 3, 14, 10, 0))
    response = client_for(staff).post(
        f"/admin/cases/postmortem/{post_mortem.pk}/change/",
        _admin_form(post_mortem, minutes="Draft: agenda agreed.", root_cause_analysis="Suspect the SBC."),
    )
    assert response.status_code == 302
    post_mortem.refresh_from_db()
    assert post_mortem.status == PostMortem.Status.AWAITING_SCHEDULE
    assert (post_mortem.minutes, post_mortem.root_cause_analysis) == ("Draft: agenda agreed.", "Suspect the SBC.")
