"""List totals (portal.pagination.PrimaryKeyPaginator): exact up to LIST_COUNT_EXACT_UP_TO rows on
every request; a longer list's total is kept for LIST_COUNT_CACHE_SECONDS while its rows stay current."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from cases.models import Case
from portal.pagination import PrimaryKeyPaginator
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


@override_settings(LIST_COUNT_EXACT_UP_TO=3)
def test_a_short_list_is_counted_afresh_every_time(account):
    CaseFactory.create_batch(2, account=account)
    assert PrimaryKeyPaginator(Case.objects.order_by("-id"), 25).count == 2
    CaseFactory(account=account)
    assert PrimaryKeyPaginator(Case.objects.order_by("-id"), 25).count == 3


@override_settings(LIST_COUNT_EXACT_UP_TO=3)
def test_a_long_lists_total_is_kept_while_its_rows_stay_current(client_for, contact, account):
    CaseFactory.create_batch(5, account=account)
    client = client_for(contact.user)
    assert "5 cases" in client.get("/cases/").content.decode()
    newest = CaseFactory(account=account, subject="Opened a moment ago")
    page = client.get("/cases/").content.decode()
    assert "5 cases" in page and newest.number in page  # the total lags; the rows do not
    cache.clear()  # what LIST_COUNT_CACHE_SECONDS later means
    assert "6 cases" in client.get("/cases/").content.decode()


@override_settings(LIST_COUNT_EXACT_UP_TO=3)
def test_each_filter_has_its_own_total(client_for, contact, account):
    CaseFactory.create_batch(4, account=account, subject="Zebrafish voicemail")
    CaseFactory.create_batch(5, account=account, subject="Walrus queue")
    client = client_for(contact.user)
    assert "9 cases" in client.get("/cases/").content.decode()
    assert "4 cases" in client.get("/cases/", {"q": "zebrafish"}).content.decode()
    assert "5 cases" in client.get("/cases/", {"q": "walrus"}).content.decode()


@override_settings(LIST_COUNT_EXACT_UP_TO=3)
def test_the_admin_queues_long_total_is_kept_too(client_for, staff, account):
    CaseFactory.create_batch(5, account=account)
    client = client_for(staff)
    assert "5 support cases" in client.get("/admin/cases/case/").content.decode()
    newest = CaseFactory(account=account)
    page = client.get("/admin/cases/case/").content.decode()
    assert "5 support cases" in page and newest.number in page
    cache.clear()
    assert "6 support cases" in client.get("/admin/cases/case/").content.decode()
