"""The "new request" hub: every kind of request leads to its form or to where it goes instead."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases.models import Case, CaseEvent, DataPrivacyRequest, RemoteAccessRequest

pytestmark = pytest.mark.django_db

# What a contact reads on the hub, and the page each link must lead to.
HUB_LINKS = {
    "Technical support case": "case_create",
    "Admin case": "admin_case_create",
    "Move, add, change or delete (MAC/D)": "macd_create",
    "Feature request": "feature_create",
    "Statement of Work change": "sow_change",
    "Data privacy request": "privacy_request_create",
    "See your data privacy requests": "privacy_request_list",
    "Uptime credit": "credit_create",
}


class _LinkParser(HTMLParser):
    """Collects each link as (href, the text a user sees)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append((dict(attrs).get("href") or "", []))

    def handle_data(self, data: str) -> None:
        for _href, text in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            href, text = self._open.pop()
            self.links.append((href, " ".join("".join(text).split())))


def _links(body: str) -> list[tuple[str, str]]:
    parser = _LinkParser()
    parser.feed(body)
    return parser.links


def _rows() -> tuple[int, int, int, int]:
    return (Case.objects.count(), CaseEvent.objects.count(), DataPrivacyRequest.objects.count(),
            RemoteAccessRequest.objects.count())


def test_hub_links_every_kind_of_request(client_for, contact):
    body = client_for(contact.user).get(reverse("request_hub")).content.decode()
    links = _links(body)
    for label, url_name in HUB_LINKS.items():
        assert (reverse(url_name), label) in links, label
    assert "2 business days" in body


def test_navbar_open_a_case_leads_to_the_hub(client_for, contact):
    body = client_for(contact.user).get(reverse("dashboard")).content.decode()
    assert (reverse("request_hub"), "Open a case") in _links(body)


def test_reader_sees_the_hub_but_is_told_only_contacts_submit(client_for, reader):
    response = client_for(reader.user).get(reverse("request_hub"))
    assert response.status_code == 200
    assert "Only Designated Contacts can submit them." in response.content.decode()


def test_sow_change_page_explains_and_opens_nothing(client_for, contact, account):
    client = client_for(contact.user)
    before = _rows()
    page = client.get(reverse("sow_change"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "change-request process" in body and "section 5" in body
    assert "No case has been opened." in body
    posted = client.post(reverse("sow_change"), {"account": account.pk, "subject": "Change scope"})
    assert posted.status_code == 405
    assert _rows() == before == (0, 0, 0, 0)


def test_staff_are_sent_to_admin(client_for, staff):
    for url_name in ("request_hub", "sow_change", "privacy_request_list"):
        response = client_for(staff).get(reverse(url_name))
        assert response.status_code == 302 and response["Location"] == "/admin/"
