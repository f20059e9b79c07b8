"""Pages come in the signed-in user's chosen language (portal.middleware.ViewerLanguageMiddleware)."""

from __future__ import annotations

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_a_chosen_language_wins_over_the_browsers(client_for, contact):
    contact.user.language = "de"
    contact.user.save(update_fields=["language"])
    page = client_for(contact.user).get("/cases/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    assert '<html lang="de">' in page.content.decode()
    assert page.headers["Content-Language"] == "de"


def test_without_a_choice_the_browser_decides(client_for, contact):
    page = client_for(contact.user).get("/cases/", HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr">' in page.content.decode()
    assert page.headers["Content-Language"] == "fr"


def test_staff_see_the_admin_in_their_language(client_for, staff):
    staff.language = "de"
    staff.save(update_fields=["language"])
    page = client_for(staff).get("/admin/").content.decode()
    assert "Abmelden" in page  # Django's own German catalogue: "Log out"


def test_the_language_does_not_outlive_the_request(client_for, contact):
    contact.user.language = "ja"
    contact.user.save(update_fields=["language"])
    before = translation.get_language()
    client_for(contact.user).get("/cases/")
    assert translation.get_language() == before
