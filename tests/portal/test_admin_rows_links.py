"""Row links of a filtered admin list keep its filters (portal.admin_rows), as Django's do."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from cases.models import Status
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _row_links(page: str) -> list[str]:
    return re.findall(r'<a href="(/admin/cases/case/\d+/change/[^"]*)">CS-', page)


def test_each_row_link_carries_the_lists_filters_and_search(client_for, staff, account):
    CaseFactory.create_batch(3, account=account, status=Status.IN_PROGRESS, subject="Voicemail & queue")
    page = client_for(staff).get("/admin/cases/case/", {"status__exact": "in_progress", "q": "voicemail"})
    links = _row_links(page.content.decode().replace("&amp;", "&"))
    assert len(links) == 3
    for link in links:
        filters = parse_qs(parse_qs(urlsplit(link).query)["_changelist_filters"][0])
        assert filters == {"status__exact": ["in_progress"], "q": ["voicemail"]}


def test_an_unfiltered_list_links_rows_without_a_query(client_for, staff, account):
    CaseFactory.create_batch(2, account=account)
    links = _row_links(client_for(staff).get("/admin/cases/case/").content.decode())
    assert len(links) == 2 and all("?" not in link for link in links)


def test_the_change_page_reached_from_a_row_returns_to_the_filtered_list(client_for, staff, account):
    CaseFactory(account=account, status=Status.IN_PROGRESS)
    client = client_for(staff)
    link = _row_links(client.get("/admin/cases/case/?status__exact=in_progress").content.decode())[0]
    page = client.get(link.replace("&amp;", "&")).content.decode()
    assert "status__exact%3Din_progress" in page  # the form posts back with the list's filters
