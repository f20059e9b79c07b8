"""A Care staff member's first visit to admin, in a real browser: enrol, keep the codes, work."""

from __future__ import annotations

from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from tests.portal.factories import TEST_PASSWORD, StaffFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_staff_enrol_at_their_first_admin_visit_then_admin_opens(
    page: Page, live_server: Any, transactional_db: None,
) -> None:
    StaffFactory(username="casey")
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step verification")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("figcaption code").inner_text().replace(" ", "")
    code = TOTP(b32decode(secret + "=" * (-len(secret) % 8))).token()
    page.get_by_role("textbox", name="Code from the app").fill(f"{code:06d}")
    page.get_by_role("button", name="Confirm and turn on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step verification is on")
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("link", name="I have saved them, continue").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("link", name="Cases").first).to_be_visible()
