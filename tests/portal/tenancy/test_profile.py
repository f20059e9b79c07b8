"""A user's own preferences: the time zone pages are shown in and the language emails are written in."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_profile_saves_time_zone_and_language(client_for, contact):
    client = client_for(contact.user)
    response = client.post(reverse("profile"), {
        "first_name": "Alice", "last_name": "Ng", "email": "alice@example.test",
        "time_zone": "Australia/Sydney", "language": "de",
    })
    assert response.status_code == 302
    contact.user.refresh_from_db()
    assert (contact.user.time_zone, contact.user.language) == ("Australia/Sydney", "de")


def test_an_unknown_language_is_refused_and_keeps_what_was_typed(client_for, contact):
    response = client_for(contact.user).post(reverse("profile"), {
        "first_name": "Alice", "last_name": "Typed", "email": "alice@example.test",
        "time_zone": "Europe/London", "language": "xx",
    })
    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    assert b'value="Typed"' in response.content
    contact.user.refresh_from_db()
    assert contact.user.last_name != "Typed"


def test_the_viewers_zone_does_not_outlive_their_request(client_for, contact):
    contact.user.time_zone = "Asia/Tokyo"
    contact.user.save(update_fields=["time_zone"])
    timezone.deactivate()
    response = client_for(contact.user).get(reverse("profile"))
    assert response.status_code == 200
    # The page was rendered in Tokyo time; the thread is back on the default zone afterwards.
    assert str(timezone.get_current_timezone()) == "UTC"
