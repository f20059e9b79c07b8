"""In a real browser: a file too many on a case's upload form comes back as a message on the page,
with the files that fit kept and ticked for the next try."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from portal.models import Membership
from tests.browser.test_contact_files_case import sign_in
from tests.cases.factories import CaseFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_a_file_too_many_is_named_on_the_case_page(
    page: Page, live_server: Any, transactional_db: None, reference_data: None, account: Any,
    contact: Membership, settings: Any, tmp_path: Path,
) -> None:
    settings.ATTACHMENT_MAX_FILES_PER_REQUEST = 2
    case = CaseFactory(account=account, opened_by=contact.user)
    files = []
    for name in ("one.log", "two.log", "three.log"):
        path = tmp_path / name
        path.write_bytes(f"{name}: trunk 4 dropped the call\n".encode())
        files.append(path)
    sign_in(page, live_server.url, contact.user.username)
    page.goto(f"{live_server.url}/cases/{case.number}/")
    page.get_by_label("Add files").set_input_files(files)
    page.get_by_label("I confirm these files are free of the end user's customer data.").check()
    page.get_by_role("button", name="Upload files").click()

    expect(page.get_by_role("alert").filter(has_text="not received")).to_contain_text(
        "1 file was not received (three.log): at most 2 files can be sent at once"
    )
    expect(page.get_by_label("one.log")).to_be_checked()
    expect(page.get_by_label("two.log")).to_be_checked()
