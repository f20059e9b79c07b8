"""portal.admin_rows builds the same change-list rows as Django's items_for_result, on every admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import results
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

from cases.models import Case, Status
from portal.admin_rows import fast_results
from portal.models import User
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _changelist(model_admin: Any, user: User, params: dict[str, str] | None = None) -> Any:
    path = reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist")
    request = RequestFactory().get(path, params or {})
    request.user = user
    request.resolver_match = resolve(path)  # the list's filters are carried only from the list itself
    cl = model_admin.get_changelist_instance(request)
    cl.formset = None  # as changelist_view sets it for a list without in-place editing
    return cl


def _rows(rows: Any) -> list[str]:
    """Each row's HTML, as change_list_results.html prints it: its items one after another."""
    return ["".join(str(cell) for cell in row) for row in rows]


@pytest.fixture
def superuser() -> User:
    return User.objects.create_superuser("root", "root@care.test", "x-root-pass-2026")


def test_every_registered_admin_gets_djangos_rows(superuser):
    call_command("seed_demo")
    CaseFactory(assignee=None, subject="   ")  # an empty assignee and a blank summary: the empty-value text
    compared = 0
    for model, model_admin in admin.site._registry.items():
        cl = _changelist(model_admin, superuser)
        expected = _rows(results(cl))
        assert _rows(fast_results(cl)) == expected, model._meta.label
        compared += bool(expected)
    assert compared >= 15  # the demo data fills most lists


def test_a_filtered_searched_sorted_queue_in_another_language(superuser, account):
    CaseFactory.create_batch(3, account=account, status=Status.IN_PROGRESS, subject="Voicemail & <queue>")
    model_admin = admin.site._registry[Case]
    params = {"status__exact": "in_progress", "q": "voicemail", "o": "-2"}
    with translation.override("de"):
        cl = _changelist(model_admin, superuser, params)
        expected = _rows(results(cl))
        assert len(expected) == 3 and "_changelist_filters" in expected[0]
        assert _rows(fast_results(cl)) == expected


def test_the_admin_queue_page_shows_the_fast_rows(client_for, staff, account):
    case = CaseFactory(account=account, subject="Trunk & <dial plan>")
    page = client_for(staff).get("/admin/cases/case/").content.decode()
    assert f'value="{case.pk}" class="action-select"' in page
    assert "Trunk &amp; &lt;dial plan&gt;" in page


def test_the_work_queue_shows_fifty_cases_a_page(client_for, staff, account):
    CaseFactory.create_batch(51, account=account)
    client = client_for(staff)
    first = client.get("/admin/cases/case/").content.decode()
    second = client.get("/admin/cases/case/", {"p": "2"}).content.decode()
    assert first.count('class="action-select"') == 50
    assert second.count('class="action-select"') == 1
