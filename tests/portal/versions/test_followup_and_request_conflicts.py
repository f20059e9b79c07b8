"""The same refusal of a stale save on a post-mortem and on a worked request (MAC/D)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cases.models import MacdRequest, PostMortem, Severity
from cases.requests.macd import services as macd
from portal.admin_versions import VERSION_FIELD
from tests.admin_forms import change_form_data
from tests.cases.followups.postmortem_helpers import resolved_case
from tests.cases.requests.helpers import account_with, service
from tests.portal.versions.conftest import notices_of, version_on

pytestmark = pytest.mark.django_db


def test_a_stale_post_mortem_form_keeps_the_notes_and_refreshes_the_meeting(two_staff, reseller):
    (ann, ann_client), (ben, ben_client) = two_staff
    _, post_mortem = resolved_case(staff=ann, reseller=reseller, severity=Severity.HIGH,
                                   resolved_at=datetime(2025, 3, 14, 10, 0, tzinfo=UTC))
    url = f"/admin/cases/postmortem/{post_mortem.pk}/change/"
    ann_form = change_form_data(ann_client, url)
    ben_form = change_form_data(ben_client, url)
    ben_form.update(decision="schedule", meeting_at_0="2025-03-18", meeting_at_1="14:00:00", location="Bridge")
    assert ben_client.post(url, ben_form).status_code == 302

    ann_form["minutes"] = "Ann's draft agenda"
    response = ann_client.post(url, ann_form)

    assert response.status_code == 200
    post_mortem.refresh_from_db()
    assert post_mortem.minutes == "" and post_mortem.status == PostMortem.Status.SCHEDULED
    assert any(f"{ben}: Post-mortem: - \u2192 Meeting scheduled" in notice for notice in notices_of(response))
    form = response.context["adminform"].form
    assert form["minutes"].value() == "Ann's draft agenda"
    assert form["location"].value() == "Bridge"  # Ben's meeting, not Ann's empty fields
    assert form["meeting_at"].value() == ["2025-03-18", "14:00:00"]

    confirmed = {**ann_form, "location": "Bridge", "meeting_at_0": "2025-03-18", "meeting_at_1": "14:00:00",
                 VERSION_FIELD: version_on(response.content.decode())}
    assert ann_client.post(url, confirmed).status_code == 302
    post_mortem.refresh_from_db()
    assert (post_mortem.minutes, post_mortem.status) == ("Ann's draft agenda", PostMortem.Status.SCHEDULED)


def test_a_stale_request_form_keeps_the_comment_and_shows_the_new_status(
    two_staff, contact, reseller, django_capture_on_commit_callbacks
):
    (ann, ann_client), (ben, ben_client) = two_staff
    account = account_with(reseller, "pureengage-cloud")
    with django_capture_on_commit_callbacks(execute=True):
        request = macd.macd_submit(contact=contact.user, account=account, service=service("pureengage-cloud"),
                                   title="Seats", lines=[{"action": "add", "item": "Seat", "details": "",
                                                          "wanted_by": None}])
    url = f"/admin/cases/macdrequest/{request.pk}/change/"
    ann_form = change_form_data(ann_client, url)
    ben_form = change_form_data(ben_client, url)
    with django_capture_on_commit_callbacks(execute=True):
        assert ben_client.post(url, {**ben_form, "new_status": "in_progress"}).status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        response = ann_client.post(url, {**ann_form, "comment": "Ann: seats added tomorrow."})

    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == MacdRequest.Status.IN_PROGRESS
    assert not request.events.filter(body__contains="Ann").exists()
    notices = notices_of(response)
    assert any(f"{ben}: Status changed: Submitted \u2192 In progress" in notice for notice in notices), notices
    form = response.context["adminform"].form
    assert (form["new_status"].value(), form["comment"].value()) == ("in_progress", "Ann: seats added tomorrow.")

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = {**ann_form, "new_status": "in_progress", "comment": "Ann: seats added tomorrow.",
                     VERSION_FIELD: version_on(response.content.decode())}
        assert ann_client.post(url, confirmed).status_code == 302
    request.refresh_from_db()
    assert request.status == MacdRequest.Status.IN_PROGRESS
    assert request.events.filter(body="Ann: seats added tomorrow.").exists()


def test_a_draft_saved_from_a_page_opened_before_publication_changes_nothing(two_staff, reseller, contact):
    from cases.followups import services as postmortems
    from tests.cases.followups.postmortem_helpers import held_post_mortem

    (ann, ann_client), (ben, ben_client) = two_staff
    post_mortem = held_post_mortem(staff=ann, reseller=reseller, meeting_at=datetime(2025, 3, 14, 14, tzinfo=UTC))
    report = postmortems.incident_report_request(post_mortem=post_mortem, contact=contact.user,
                                                 coverage_request="All of it.")
    url = f"/admin/cases/incidentreport/{report.pk}/change/"
    ann_form = change_form_data(ann_client, url)
    sections = {"outage_explanation": "Ben's", "timeline": "09:00", "root_causes": "Lock", "remediation_steps": "Fix"}
    assert ben_client.post(url, {**change_form_data(ben_client, url), **sections, "publish": "on"}).status_code == 302

    response = ann_client.post(url, {**ann_form, "outage_explanation": "Ann's draft"})

    assert response.status_code == 200
    report.refresh_from_db()
    assert (report.status, report.outage_explanation) == ("published", "Ben's")
    assert any(f"{ben}: Incident report" in notice for notice in notices_of(response)), notices_of(response)
