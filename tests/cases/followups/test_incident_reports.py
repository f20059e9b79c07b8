"""Incident reports: requested in writing after the meeting, due 3 bd later, written and published
by Care, read and downloaded as PDF by that reseller only."""

from __future__ import annotations

import base64
import re
import zlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cases.followups import services as postmortems
from cases.followups.sweep import sweep_followups
from cases.models import CaseEvent, IncidentReport, Severity
from tests.cases.followups.postmortem_helpers import held_post_mortem, resolved_case, utc

pytestmark = pytest.mark.django_db

SECTIONS = {
    "outage_explanation": "Database failover stalled for 41 minutes.",
    "timeline": "09:02 alarms raised. 09:43 service restored.",
    "root_causes": "A stale replica lock blocked promotion.",
    "remediation_steps": "Lock timeout added and failover drills scheduled monthly.",
}


def _request(post_mortem, contact):  # type: ignore[no-untyped-def]
    return postmortems.incident_report_request(
        post_mortem=post_mortem, contact=contact.user, coverage_request="Cover the failover timeline.",
    )


@pytest.mark.parametrize(
    ("meeting_at", "expected_due"),
    [
        # Fri 14:00 + 3 bd: weekend and the Monday holiday skipped -> Thu 14:00.
        (utc(2025, 3, 14, 14, 0), utc(2025, 3, 20, 14, 0)),
        # Mon 24th 14:00 (no holiday) + 3 bd -> Thu 27th 14:00.
        (utc(2025, 3, 24, 14, 0), utc(2025, 3, 27, 14, 0)),
        # Wed 12th 11:15 + 3 bd: Thu, Fri, (weekend, holiday), Tue -> Tue 18th 11:15.
        (utc(2025, 3, 12, 11, 15), utc(2025, 3, 18, 11, 15)),
    ],
)
def test_report_due_three_business_days_after_the_meeting(staff, reseller, contact, meeting_at, expected_due):
    post_mortem = held_post_mortem(staff=staff, reseller=reseller, meeting_at=meeting_at)
    report = _request(post_mortem, contact)
    assert report.due_at == expected_due
    assert report.status == IncidentReport.Status.REQUESTED
    event = post_mortem.case.events.filter(kind=CaseEvent.Kind.INCIDENT_REPORT).get()
    assert event.due_at == expected_due and event.actor == contact.user


def test_report_only_after_the_meeting_and_only_once(staff, reseller, contact):
    _, post_mortem = resolved_case(staff=staff, reseller=reseller, severity=Severity.HIGH,
                                   resolved_at=utc(2025, 3, 14, 10, 0))
    with pytest.raises(ValidationError):
        _request(post_mortem, contact)
    post_mortem = held_post_mortem(staff=staff, reseller=reseller, meeting_at=utc(2025, 3, 14, 14, 0))
    _request(post_mortem, contact)
    with pytest.raises(ValidationError):
        _request(post_mortem, contact)


def test_only_the_resellers_designated_contacts_request(staff, reseller, contact, reader, other_contact, client_for):
    post_mortem = held_post_mortem(staff=staff, reseller=reseller, meeting_at=utc(2025, 3, 14, 14, 0))
    number = post_mortem.case.number
    url = f"/post-mortems/{number}/incident-report/"
    data = {"coverage_request": "Everything."}
    # Another reseller's contact: the post-mortem does not exist for them.
    assert client_for(other_contact.user).get(f"/post-mortems/{number}/").status_code == 404
    assert client_for(other_contact.user).post(url, data).status_code == 404
    with pytest.raises(PermissionDenied):
        _request(post_mortem, other_contact)
    # A plain reader can read the page but not request.
    page = client_for(reader.user).get(f"/post-mortems/{number}/")
    assert page.status_code == 200 and "Request an incident report" not in page.content.decode()
    assert client_for(reader.user).post(url, data).status_code == 403
    assert not IncidentReport.objects.exists()
    # The Designated Contact sees the form and requests.
    client = client_for(contact.user)
    assert "Request an incident report" in client.get(f"/post-mortems/{number}/").content.decode()
    assert client.post(url, {"coverage_request": "  "}).status_code == 400
    response = client.post(url, data)
    assert response.status_code == 302
    report = IncidentReport.objects.get()
    assert report.requested_by == contact.user and report.coverage_request == "Everything."


def _pdf_text(pdf: bytes) -> str:
    """The page content streams, undoing reportlab's ASCII85 and Flate filters."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        data = stream.strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(re.sub(rb"\s", b"", data[:-2]))
        try:
            chunks.append(zlib.decompress(data))
        except zlib.error:
            chunks.append(data)
    return b"\n".join(chunks).decode("latin-1")


def test_published_report_is_read_and_downloaded_by_that_reseller_only(
    staff, reseller, contact, reader, other_contact, client_for, django_capture_on_commit_callbacks
):
    post_mortem = held_post_mortem(staff=staff, reseller=reseller, meeting_at=utc(2025, 3, 14, 14, 0))
    number = post_mortem.case.number
    report = _request(post_mortem, contact)
    pdf_url = f"/post-mortems/{number}/incident-report.pdf"
    # Not published yet: nobody downloads it, and the draft is not shown.
    postmortems.incident_report_save_draft(report=report, actor=staff, outage_explanation="Draft text only")
    assert client_for(contact.user).get(pdf_url).status_code == 404
    assert "Draft text only" not in client_for(contact.user).get(f"/post-mortems/{number}/").content.decode()
    with pytest.raises(ValidationError):
        postmortems.incident_report_publish(report=report, actor=staff, **{**SECTIONS, "root_causes": ""})
    with django_capture_on_commit_callbacks(execute=True):
        postmortems.incident_report_publish(report=report, actor=staff, **SECTIONS)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [contact.user.email]
    assert f"[{number}] Your incident report is published" == mail.outbox[0].subject
    assert pdf_url in mail.outbox[0].body

    for member in (contact, reader):
        page = client_for(member.user).get(f"/post-mortems/{number}/").content.decode()
        for text in SECTIONS.values():
            assert text in page
        response = client_for(member.user).get(pdf_url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="incident-report-{number}.pdf"'
        assert response.content.startswith(b"%PDF")
        text = _pdf_text(response.content)
        for value in SECTIONS.values():
            assert value.split(".")[0] in text
    assert client_for(other_contact.user).get(pdf_url).status_code == 404
    assert client_for(other_contact.user).get(f"/post-mortems/{number}/").status_code == 404
    with pytest.raises(ValidationError):
        postmortems.incident_report_save_draft(report=report, actor=staff, timeline="rewritten")


def test_admin_publishes_through_the_service(staff, reseller, contact, client_for, django_capture_on_commit_callbacks):
    post_mortem = held_post_mortem(staff=staff, reseller=reseller, meeting_at=utc(2025, 3, 14, 14, 0))
    report = _request(post_mortem, contact)
    client = client_for(staff)
    url = f"/admin/cases/incidentreport/{report.pk}/change/"
    response = client.post(url, {**SECTIONS, "timeline": "", "publish": "on"})
    assert response.status_code == 200 and "Write this section before publishing." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**SECTIONS, "publish": "on"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == IncidentReport.Status.PUBLISHED and report.published_by == staff
    assert report.next_alert_at is None
    assert len(mail.outbox) == 1
    listing = client.get("/admin/cases/incidentreport/", {"status__exact": "published"}).content.decode()
    assert post_mortem.case.number in listing


def test_beat_alerts_before_and_at_report_due_time_once_each(staff, reseller, contact,
                                                             django_capture_on_commit_callbacks):
    post_mortem = held_post_mortem(staff=staff, reseller=reseller, meeting_at=utc(2025, 3, 14, 14, 0))
    report = _request(post_mortem, contact)
    assert report.warn_at == utc(2025, 3, 19, 14, 0)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            sweep_followups(now=report.warn_at + timedelta(seconds=30))
        for _ in range(2):
            sweep_followups(now=report.due_at)
    number = post_mortem.case.number
    assert [m.subject for m in mail.outbox] == [
        f"[{number}] Due soon: incident report", f"[{number}] OVERDUE: incident report",
    ]


def test_care_hears_of_a_request_with_what_to_cover(staff, reseller, contact, settings,
                                                     django_capture_on_commit_callbacks):
    settings.CARE_QUEUE_EMAIL = "queue@care.test"
    post_mortem = held_post_mortem(staff=staff, reseller=reseller, meeting_at=utc(2025, 3, 14, 14, 0))
    post_mortem.case.assignee = None
    post_mortem.case.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = _request(post_mortem, contact)
    (message,) = mail.outbox
    assert message.to == ["queue@care.test"]
    assert f"[{post_mortem.case.number}]" in message.subject and "incident report" in message.subject
    assert "Cover the failover timeline." in message.body
    assert f"/admin/cases/incidentreport/{report.pk}/change/" in message.alternatives[0][0]
