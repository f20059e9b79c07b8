"""The "new request" hub: every kind of request leads to its form or to where it goes instead."""

from __future__ import annotations

import pytest

from cases.models import Case, CaseEvent, DataPrivacyRequest, RemoteAccessRequest

pytestmark = pytest.mark.django_db


def _rows() -> tuple[int, int, int, int]:
    return (Case.objects.count(), CaseEvent.objects.count(), DataPrivacyRequest.objects.count(),
            RemoteAccessRequest.objects.count())


def test_hub_links_every_kind_of_request(client_for, contact):
    body = client_for(contact.user).get("/requests/new/").content.decode()
    for path in ("/cases/new/", "/requests/admin/new/", "/requests/macd/new/", "/requests/features/new/",
                 "/requests/sow-change/", "/requests/privacy/new/", "/requests/uptime-credits/new/"):
        assert f'href="{path}"' in body, path
    assert "2 business days" in body


def test_navbar_open_a_case_leads_to_the_hub(client_for, contact):
    body = client_for(contact.user).get("/").content.decode()
    assert 'href="/requests/new/">Open a case' in body


def test_reader_sees_the_hub_but_is_told_only_contacts_submit(client_for, reader):
    response = client_for(reader.user).get("/requests/new/")
    assert response.status_code == 200
    assert "Only Designated Contacts can submit them." in response.content.decode()


def test_sow_change_page_explains_and_opens_nothing(client_for, contact, account):
    client = client_for(contact.user)
    before = _rows()
    page = client.get("/requests/sow-change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "change-request process" in body and "section 5" in body
    assert "No case has been opened." in body
    posted = client.post("/requests/sow-change/", {"account": account.pk, "subject": "Change scope"})
    assert posted.status_code == 405
    assert _rows() == before == (0, 0, 0, 0)


def test_staff_are_sent_to_admin(client_for, staff):
    for path in ("/requests/new/", "/requests/sow-change/", "/requests/privacy/"):
        response = client_for(staff).get(path)
        assert response.status_code == 302 and response["Location"] == "/admin/"
