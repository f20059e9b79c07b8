"""Every page bench/bench_pages.py measures runs the same queries for 3 cases as for 30.

tests/cases/intake/test_list_queries.py pins the first pages; these cover the filtered, searched
and deep list, the case page, and the admin queue's filters, search and change page. Each case
gets real milestones (sla.clocks.services), so the queue has deadlines to order and filter by.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Status
from sla.clocks.services import milestones_start
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

# Each count includes one MFA query: "is MFA set up" for a contact, the verified device for staff;
# the user's membership and reseller come with the user (portal.tenancy.backends).
PORTAL_PAGES = {
    "/cases/?status=in_progress": 9,
    "/cases/?q=Agents": 9,
    "/cases/?page=2": 9,  # the last page when there are fewer cases
    "/cases/?open=true&severity=2&page=9": 9,
}
ADMIN_PAGES = {
    "/admin/cases/case/?sla=breached": 8,
    "/admin/cases/case/?sla=at_risk": 8,
    "/admin/cases/case/?q=Agents": 10,  # + the account and reseller name look-ups
    "/admin/cases/case/?status__exact=in_progress&q=log": 10,
}


def _add_cases(account, count: int) -> None:  # type: ignore[no-untyped-def]
    for index in range(count):
        case = CaseFactory(account=account, status=[Status.NEW, Status.IN_PROGRESS][index % 2])
        milestones_start(case=case)


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)  # warm: session and per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _same_for_3_and_30(account, measure: Callable[[], dict[str, int]]) -> tuple[dict[str, int], dict[str, int]]:  # type: ignore[no-untyped-def]
    _add_cases(account, 3)
    few = measure()
    _add_cases(account, 27)
    return few, measure()


def test_portal_list_pages_do_not_grow_with_cases(client_for, contact, account):  # type: ignore[no-untyped-def]
    client = client_for(contact.user)
    few, many = _same_for_3_and_30(account, lambda: {url: _queries(client, url) for url in PORTAL_PAGES})
    assert few == many == PORTAL_PAGES


def test_admin_queue_pages_do_not_grow_with_cases(client_for, staff, account):  # type: ignore[no-untyped-def]
    client = client_for(staff)
    few, many = _same_for_3_and_30(account, lambda: {url: _queries(client, url) for url in ADMIN_PAGES})
    assert few == many == ADMIN_PAGES


def test_case_pages_do_not_grow_with_other_cases(client_for, contact, staff, account):  # type: ignore[no-untyped-def]
    portal, care = client_for(contact.user), client_for(staff)
    _add_cases(account, 1)
    case = Case.objects.get()

    def measure() -> dict[str, int]:
        return {"detail": _queries(portal, f"/cases/{case.number}/"),
                "change": _queries(care, f"/admin/cases/case/{case.pk}/change/")}

    few, many = _same_for_3_and_30(account, measure)
    assert few == many
