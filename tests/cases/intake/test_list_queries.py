"""List pages keep a fixed number of queries however many cases they show, and show the cases."""

from __future__ import annotations

import re

import pytest

from cases.models import Case
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

# +1 each: the unplanned-maintenance banner in base.html; +1: the MFA gate asks whether MFA is set up;
# -2: the user arrives with their membership and reseller (portal.tenancy.backends).
CASE_LIST_QUERIES = 9
DASHBOARD_QUERIES = 8
# +1: the MFA device that verified the session; -1: show_full_result_count = False drops the second count;
# -1: the user arrives knowing they have no membership.
ADMIN_QUEUE_QUERIES = 8
PORTAL_PAGE_SIZE = 25
DASHBOARD_CASES = 10


def _listed(page: str, pattern: str) -> list[str]:
    return re.findall(pattern, page)


@pytest.mark.parametrize("cases", [1, 30])
def test_case_list_query_count_is_pinned(client_for, contact, account, django_assert_num_queries, cases):
    CaseFactory.create_batch(cases, account=account)
    CaseFactory(account=account, subject="Reports are late")  # filtered out by q
    client = client_for(contact.user)
    with django_assert_num_queries(CASE_LIST_QUERIES):
        response = client.get("/cases/?status=new&q=Agents")
    assert response.status_code == 200
    shown = _listed(response.content.decode(), r'href="/cases/(CS-\d+)/"')
    newest = Case.objects.filter(subject__startswith="Agents").order_by("-created_at", "-id")
    assert shown == [case.number for case in newest[:PORTAL_PAGE_SIZE]]  # the newest first, one page


@pytest.mark.parametrize("cases", [1, 15])
def test_dashboard_query_count_is_pinned(client_for, contact, account, django_assert_num_queries, cases):
    created = {case.number for case in CaseFactory.create_batch(cases, account=account)}
    CaseFactory(account__reseller__name="Someone else")  # another reseller's case is never shown
    client = client_for(contact.user)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    shown = _listed(page, r'href="/cases/(CS-\d+)/"')
    assert len(shown) == len(set(shown)) == min(cases, DASHBOARD_CASES)
    assert set(shown) <= created
    assert f"{cases} open case" in page


@pytest.mark.parametrize("cases", [1, 30])
def test_admin_queue_query_count_is_pinned(client_for, staff, account, django_assert_num_queries, cases):
    created = CaseFactory.create_batch(cases, account=account, assignee=staff)
    client = client_for(staff)
    with django_assert_num_queries(ADMIN_QUEUE_QUERIES):
        response = client.get("/admin/cases/case/")
    assert response.status_code == 200
    shown = _listed(response.content.decode(), r'<a href="/admin/cases/case/\d+/change/[^"]*">(CS-\d+)</a>')
    assert sorted(shown) == sorted(case.number for case in created)
