"""Under the Content-Security-Policy nothing on a portal page or an admin page is refused: every
script and style comes from the site's own files, and the moved scripts still do their job."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from portal.models import Membership
from tests.browser.test_contact_files_case import sign_in
from tests.cases.factories import CaseFactory
from tests.portal.factories import TEST_PASSWORD, StaffFactory
from tests.portal.mfa.factories import StaticDeviceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

# Playwright's init scripts are not subject to the page's CSP, so this listener always runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def violations(page: Page) -> Iterator[list[str]]:
    """CSP violation events and Chromium's "Refused to ..." console errors, of every page loaded."""
    found: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", on_console)
    yield found


def _page_violations(page: Page) -> list[str]:
    return list(page.evaluate("window.__cspViolations || []"))


def test_a_portal_page_and_admin_pages_load_without_csp_violations(
    page: Page,
    live_server: Any,
    transactional_db: None,
    reference_data: None,
    eager_celery: None,
    contact: Membership,
    account: Any,
    violations: list[str],
) -> None:
    base_url = live_server.url
    case = CaseFactory(account=account, opened_by=contact.user)
    sign_in(page, base_url, contact.user.username)
    policy = page.request.get(f"{base_url}/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy

    # The new-case form sent empty: the error summary appears and the moved script focuses it.
    page.goto(f"{base_url}/cases/new/")
    page.get_by_role("button", name="Submit case").click()
    expect(page.locator("#form-errors")).to_be_focused()
    assert _page_violations(page) == []

    page.goto(f"{base_url}/cases/{case.number}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    assert _page_violations(page) == []

    staff = StaffFactory()
    StaticDeviceFactory(user=staff, codes=["cspcheck1"])  # admin opens after the MFA step
    page.context.clear_cookies()
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator("input[name=code]").fill("cspcheck1")
    page.get_by_role("button", name="Verify").click()
    assert _page_violations(page) == []  # the MFA step itself
    expect(page.locator("#site-name")).to_contain_text("Customer Care admin")
    # The brand colours now come from static/css/admin.css.
    header_bg = page.evaluate("getComputedStyle(document.getElementById('header')).backgroundColor")
    assert header_bg == "rgb(18, 53, 91)"
    for path in ("/admin/", "/admin/cases/case/", f"/admin/cases/case/{case.pk}/change/", "/admin/portal/user/add/"):
        page.goto(f"{base_url}{path}")
        expect(page.locator("#content")).to_be_visible()
        assert _page_violations(page) == [], path
    assert violations == []
