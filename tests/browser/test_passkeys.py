"""A Care staff member adds a passkey, then passes the MFA step with it, in a real browser.

Chromium's virtual authenticator (DevTools protocol) stands in for a phone or security key; the
WebAuthn ceremony, the library's scripts and the server's signature check are all real."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from portal.audit.models import AuditEvent, AuditKind
from tests.portal.factories import TEST_PASSWORD, StaffFactory
from tests.portal.mfa.factories import StaticDeviceFactory, TOTPDeviceFactory, totp_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def _sign_in_to_admin(page: Page, base: str) -> None:
    page.goto(f"{base}/admin/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step verification")


def test_staff_add_a_passkey_then_pass_the_mfa_step_with_it(
    page: Page, live_server: Any, transactional_db: None, settings: Any,
) -> None:
    # The RP id is "localhost" (settings); the origin check needs the live server's port.
    assert live_server.url.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    staff = StaffFactory(username="casey")
    device = TOTPDeviceFactory(user=staff)
    StaticDeviceFactory(user=staff, codes=["alpha234"])
    console_errors: list[str] = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)

    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
    }})

    _sign_in_to_admin(page, live_server.url)
    expect(page.get_by_role("button", name="Use a passkey")).to_have_count(0)
    page.get_by_role("textbox", name="Code").fill(totp_code(device, at=time.time()))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")

    page.get_by_role("link", name="Passkeys").click()
    expect(page.get_by_text("You have 0 passkeys.")).to_be_visible()
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("You have 1 passkey.")).to_be_visible()  # the page reloads when it is saved
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator["authenticatorId"]})
    assert len(credentials["credentials"]) == 1
    assert AuditEvent.objects.filter(kind=AuditKind.MFA_ENROLLED, detail__method="passkey").count() == 1

    page.context.clear_cookies()  # signed out; the authenticator keeps the passkey
    _sign_in_to_admin(page, live_server.url)
    session_before = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    page.get_by_role("button", name="Use a passkey").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("link", name="Cases").first).to_be_visible()
    session_after = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    assert session_after != session_before  # a new session id after the step, as with a code

    verified = AuditEvent.objects.filter(kind=AuditKind.MFA_VERIFIED).order_by("pk").last()
    assert verified is not None and verified.detail["method"] == "passkey"
    assert not [error for error in console_errors if "Content Security Policy" in error]
