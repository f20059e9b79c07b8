"""A Designated Contact files a case with a sanitized log, in a real browser, end to end."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case, CaseEvent
from portal.models import Membership, User
from tests.portal.factories import TEST_PASSWORD

pytestmark = [
    pytest.mark.browser,
    # pytest-playwright's own session fixture `base_url`, not ours.
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

LOG_NAME = "agent-desktop.log"
LOG_BODY = b"2026-01-05 10:00:01 ERROR login failed code=503 session=abc123\n"


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Signed in: the main navigation is there, and the user menu offers to sign out.
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    page.get_by_role("button", name=str(User.objects.get(username=username))).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.keyboard.press("Escape")


def test_designated_contact_files_a_case_with_a_sanitized_log(
    page: Page,
    live_server: Any,
    transactional_db: None,
    reference_data: None,
    eager_celery: None,
    contact: Membership,
    second_contact: Membership,
    intake: dict[str, Any],
) -> None:
    base_url = live_server.url
    sign_in(page, base_url, contact.user.username)

    page.goto(f"{base_url}/cases/new/")
    expect(page.get_by_role("heading", level=1, name="Open a support case")).to_be_visible()

    # What is affected
    page.get_by_label("End-user account").select_option(label=str(intake["account"]))
    page.get_by_label("Cloud service or product affected").select_option(label=str(intake["service"]))
    page.get_by_label("Summary").fill(intake["subject"])
    page.get_by_label("Priority").select_option(label="2 - High")
    page.get_by_label("Number of users affected").fill(str(intake["users_affected"]))
    page.get_by_label("Frequency of occurrence").select_option(label="All the time")
    zone = zoneinfo.ZoneInfo(intake["impacted_time_zone"])
    observed = intake["first_observed_at"].astimezone(zone)
    page.get_by_label("Date and time first observed").fill(observed.strftime("%Y-%m-%dT%H:%M"))

    # The problem
    page.get_by_label("What went wrong and when").fill(intake["what_went_wrong"])
    page.get_by_label("Business impact").fill(intake["business_impact"])
    page.get_by_label("Steps taken to reproduce").fill(intake["steps_to_reproduce"])

    # Impacted users and local contact
    page.get_by_label("Time zone of impacted users").select_option(intake["impacted_time_zone"])
    page.get_by_label("Location of impacted users").fill(intake["impacted_location"])
    page.get_by_label("Working hours of impacted users").fill(intake["impacted_working_hours"])
    page.get_by_label("Local contact name").fill(intake["local_contact_name"])
    page.get_by_label("Local contact phone").fill(intake["local_contact_phone"])

    # First-level support done (Support Guide 4.1)
    for label in (
        "Screening and basic diagnostics done",
        "Problem reproduced",
        "Built-in help consulted",
        "User guide and FAQs consulted",
        "Service advisories checked",
        "Not a third-party application issue",
    ):
        page.get_by_label(label).check()

    # Logs and files
    page.get_by_label("Sanitized logs and screenshots").set_input_files(
        files=[{"name": LOG_NAME, "mimeType": "text/plain", "buffer": LOG_BODY}]
    )
    page.get_by_label("I confirm the attached files are free of the end user's customer data").check()

    page.get_by_role("button", name="Submit case").click()

    # The case detail page: number, file and timeline.
    expect(page).to_have_url(re.compile(r"/cases/CS-\d+/$"))
    case = Case.objects.get()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(case.number)
    expect(heading).to_contain_text(intake["subject"])
    expect(page.get_by_role("status").filter(has_text=case.number)).to_contain_text("was submitted")

    files = page.get_by_role("region", name="Files")
    expect(files.get_by_role("link", name=LOG_NAME)).to_be_visible()

    timeline = page.get_by_role("list", name="Case timeline")
    expect(timeline.get_by_role("listitem")).to_have_count(2)
    expect(timeline.get_by_role("listitem").first).to_contain_text("Case submitted")
    expect(timeline.get_by_role("listitem").nth(1)).to_contain_text(LOG_NAME)

    assert case.opened_by == contact.user
    assert case.severity == case.priority == 2
    attachment = case.attachments.get()
    assert attachment.original_name == LOG_NAME
    assert attachment.sanitized_confirmed
    assert list(case.events.values_list("kind", flat=True)) == [
        CaseEvent.Kind.CREATED, CaseEvent.Kind.ATTACHMENT,
    ]

    # The case list shows it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases/$"))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=case.number, exact=True))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(intake["subject"])
    expect(row).to_contain_text("New")
