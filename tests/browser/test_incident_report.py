"""A Designated Contact requests an incident report after the post-mortem, in a real browser, and
reads it once Customer Care has published it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cases.followups import services as postmortems
from cases.models import IncidentReport
from portal.models import Membership
from tests.browser.test_contact_files_case import sign_in
from tests.cases.followups.postmortem_helpers import held_post_mortem, utc
from tests.portal.factories import StaffFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_contact_requests_and_reads_an_incident_report(
    page: Page,
    live_server: Any,
    transactional_db: None,
    reference_data: None,
    eager_celery: None,
    contact: Membership,
) -> None:
    staff = StaffFactory(username="casey", email="casey@care.test")
    post_mortem = held_post_mortem(staff=staff, reseller=contact.reseller, meeting_at=utc(2025, 3, 14, 14, 0))
    number = post_mortem.case.number
    base_url = live_server.url
    sign_in(page, base_url, contact.user.username)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Post-mortems").click()
    expect(page).to_have_url(re.compile(r"/post-mortems/$"))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number, exact=True))
    expect(row).to_contain_text("Held")
    expect(row).to_contain_text("Not requested")
    row.get_by_role("link", name=number, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    page.get_by_label("What should the incident report cover?").fill("The failover and what changes now.")
    page.get_by_role("button", name="Request an incident report").click()

    expect(page.get_by_role("status")).to_contain_text("request for an incident report was sent")
    report_section = page.get_by_role("region", name="Incident report")
    expect(report_section).to_contain_text("Customer Care will publish it by")
    report = IncidentReport.objects.get()
    assert report.requested_by == contact.user
    assert report.coverage_request == "The failover and what changes now."
    assert report.due_at == utc(2025, 3, 20, 14, 0)

    postmortems.incident_report_publish(
        report=report, actor=staff,
        outage_explanation="Database failover stalled for 41 minutes.",
        timeline="09:02 alarms raised. 09:43 service restored.",
        root_causes="A stale replica lock blocked promotion.",
        remediation_steps="Lock timeout added; failover drills monthly.",
    )

    page.reload()
    article = page.get_by_role("article", name="Published incident report")
    expect(article).to_contain_text("Database failover stalled for 41 minutes.")
    expect(article).to_contain_text("A stale replica lock blocked promotion.")
    with page.expect_download() as download_info:
        article.get_by_role("link", name="Download the report (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"incident-report-{number}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Post-mortems").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number, exact=True))
    expect(row).to_contain_text("Published")
