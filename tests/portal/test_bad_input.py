"""Impossible input is a 400, never a 500: NUL bytes in a path or a query, signed in or not."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [
    "/cases/%00/", "/post-mortems/%00/", "/requests/macd/?status=%00", "/cases/?q=%00",
])
def test_a_contact_sending_nul_gets_400(client_for, contact, path):
    assert client_for(contact.user).get(path).status_code == 400


def test_staff_filtering_the_admin_queue_with_nul_gets_400(client_for, staff):
    assert client_for(staff).get("/admin/cases/case/?status__exact=%00").status_code == 400


def test_anonymous_feed_request_with_nul_gets_400(client):
    assert client.get("/maintenance/feed/%00.ics").status_code == 400
    assert client.get("/accounts/login/?next=%00").status_code == 400


def test_ordinary_requests_pass(client_for, contact):
    assert client_for(contact.user).get("/cases/?q=router").status_code == 200
