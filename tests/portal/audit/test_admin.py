"""The trail in admin: who may read it, filters, CSV export, and that nobody edits or deletes it."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from portal.audit.models import AuditEvent, AuditKind
from tests.portal.audit.factories import AuditEventFactory
from tests.portal.factories import ResellerFactory, StaffFactory, UserFactory
from tests.portal.mfa.factories import login_verified

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/portal/auditevent/"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    return login_verified(Client(), user)


def test_only_staff_with_the_view_permission_read_the_trail(trail_reader):
    AuditEventFactory(username="someone")
    assert _client(trail_reader).get(CHANGELIST).status_code == 200
    plain_staff = UserFactory(username="plain", is_staff=True)
    assert _client(plain_staff).get(CHANGELIST).status_code == 403
    assert _client(plain_staff).get(CHANGELIST + "export/").status_code == 403


def test_the_changelist_filters_by_kind_and_reseller_and_searches(trail_reader):
    northwind = ResellerFactory(name="Northwind")
    AuditEventFactory(kind=AuditKind.LOGIN_FAILED, username="alice", reseller=northwind)
    AuditEventFactory(kind=AuditKind.ACCESS_DENIED, username="mallory")
    browser = _client(trail_reader)
    by_kind = browser.get(CHANGELIST, {"kind__exact": "access_denied"}).context["cl"].result_list
    assert [event.username for event in by_kind] == ["mallory"]
    by_reseller = browser.get(CHANGELIST, {"reseller__id__exact": northwind.pk}).context["cl"].result_list
    assert [event.username for event in by_reseller] == ["alice"]
    searched = browser.get(CHANGELIST, {"q": "mallory"}).context["cl"].result_list
    assert [event.username for event in searched] == ["mallory"]


def test_the_csv_export_holds_the_filtered_rows(trail_reader):
    reseller = ResellerFactory(name="Blue Yonder")
    AuditEventFactory(kind=AuditKind.ACCESS_DENIED, username="mallory", reseller=reseller, path="/cases/CS-000001/",
                      object_type="cases.case", object_id="7", detail={"what": "case"})
    AuditEventFactory(kind=AuditKind.LOGIN_FAILED, username="=cmd|' /C calc'!A0")
    AuditEventFactory(kind=AuditKind.LOGIN_SUCCEEDED, username="alice")
    response = _client(trail_reader).get(CHANGELIST + "export/", {"kind__in": "access_denied,login_failed"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["at", "kind", "username", "reseller", "ip", "path", "object_type", "object_id",
                       "object_repr", "detail"]
    by_user = {row[2]: row for row in rows[1:]}
    assert set(by_user) == {"mallory", "'=cmd|' /C calc'!A0"}  # a formula is exported as text
    assert by_user["mallory"][1:9] == ["access_denied", "mallory", "Blue Yonder", "192.0.2.10", "/cases/CS-000001/",
                                       "cases.case", "7", ""]
    assert "case" in by_user["mallory"][9]


def test_the_changelist_links_to_the_export_with_its_filters(trail_reader):
    AuditEventFactory()
    page = _client(trail_reader).get(CHANGELIST, {"kind__exact": "login_failed"}).content.decode()
    assert 'href="/admin/portal/auditevent/export/?kind__exact=login_failed"' in page


def test_nobody_adds_edits_or_deletes_a_row_in_admin_not_even_a_superuser():
    event = AuditEventFactory(username="alice")
    browser = _client(StaffFactory())  # a superuser
    assert browser.get(CHANGELIST + "add/").status_code == 403
    assert browser.post(f"{CHANGELIST}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    page = browser.get(f"{CHANGELIST}{event.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # read-only view
    browser.post(f"{CHANGELIST}{event.pk}/change/", {"username": "mallory"})
    response = browser.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert response.status_code == 200  # "no action selected": the action is not offered
    assert "delete_selected" not in browser.get(CHANGELIST).context["cl"].model_admin.get_actions(response.wsgi_request)
    event.refresh_from_db()
    assert event.username == "alice"
    assert AuditEvent.objects.exclude(kind=AuditKind.LOGIN_SUCCEEDED).count() == 1
