"""List pages keep a fixed number of queries however many cases they show."""

from __future__ import annotations

import pytest

from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

CASE_LIST_QUERIES = 10  # +1: the unplanned-maintenance banner in base.html
DASHBOARD_QUERIES = 9  # +1: the unplanned-maintenance banner in base.html
ADMIN_QUEUE_QUERIES = 9


@pytest.mark.parametrize("cases", [1, 30])
def test_case_list_query_count_is_pinned(client_for, contact, account, django_assert_num_queries, cases):
    CaseFactory.create_batch(cases, account=account)
    client = client_for(contact.user)
    with django_assert_num_queries(CASE_LIST_QUERIES):
        response = client.get("/cases/?status=new&q=Agents")
    assert response.status_code == 200
    assert response.content.decode().count('href="/cases/CS-') == min(cases, 25)


@pytest.mark.parametrize("cases", [1, 15])
def test_dashboard_query_count_is_pinned(client_for, contact, account, django_assert_num_queries, cases):
    CaseFactory.create_batch(cases, account=account)
    client = client_for(contact.user)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("cases", [1, 30])
def test_admin_queue_query_count_is_pinned(client_for, staff, account, django_assert_num_queries, cases):
    CaseFactory.create_batch(cases, account=account, assignee=staff)
    client = client_for(staff)
    with django_assert_num_queries(ADMIN_QUEUE_QUERIES):
        assert client.get("/admin/cases/case/").status_code == 200
