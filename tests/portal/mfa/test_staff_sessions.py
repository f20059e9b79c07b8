"""Staff sessions end 8 hours after sign-in or after 30 idle minutes; contacts keep theirs."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings

from portal.mfa.sessions import SEEN_KEY, STARTED_KEY, staff_session_expired, staff_session_touch
from tests.portal.mfa.factories import TOTPDeviceFactory, login_verified

NOW = 1_000_000_000.0
MINUTE = 60
HOUR = 60 * MINUTE


@pytest.mark.parametrize(("started_ago", "seen_ago", "expired"), [
    (HOUR, 29 * MINUTE, False),
    (HOUR, 31 * MINUTE, True),
    (7 * HOUR, 1 * MINUTE, False),
    (8 * HOUR + 1, 1 * MINUTE, True),
])
def test_absolute_and_idle_limits(started_ago, seen_ago, expired):
    session = {STARTED_KEY: NOW - started_ago, SEEN_KEY: NOW - seen_ago}
    assert staff_session_expired(session, now=NOW) is expired


def test_touch_keeps_the_start_and_moves_the_last_request():
    session: dict[str, float] = {}
    staff_session_touch(session, now=NOW)
    staff_session_touch(session, now=NOW + 10 * MINUTE)
    assert session == {STARTED_KEY: NOW, SEEN_KEY: NOW + 10 * MINUTE}
    assert not staff_session_expired(session, now=NOW + 39 * MINUTE)


@override_settings(STAFF_SESSION_IDLE_TIMEOUT=5 * MINUTE)
def test_the_limits_are_settings():
    assert staff_session_expired({STARTED_KEY: NOW, SEEN_KEY: NOW}, now=NOW + 6 * MINUTE)


def _age(client, *, started_ago: float, seen_ago: float) -> None:  # type: ignore[no-untyped-def]
    session = client.session
    session[STARTED_KEY] = time.time() - started_ago
    session[SEEN_KEY] = time.time() - seen_ago
    session.save()


@pytest.mark.django_db
def test_an_idle_staff_session_is_signed_out(client, staff):
    login_verified(client, staff)
    _age(client, started_ago=HOUR, seen_ago=31 * MINUTE)
    response = client.get("/admin/cases/case/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/cases/case/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_active_staff_session_goes_on(client, staff):
    login_verified(client, staff)
    _age(client, started_ago=HOUR, seen_ago=29 * MINUTE)
    assert client.get("/admin/").status_code == 200
    assert time.time() - client.session[SEEN_KEY] < MINUTE  # the request counted as activity


@pytest.mark.django_db
def test_a_contact_session_has_no_staff_limit(client_for, contact):
    client = client_for(contact.user)
    _age(client, started_ago=48 * HOUR, seen_ago=10 * HOUR)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_eight_hours_count_from_the_mfa_step(client, staff, current_code):
    TOTPDeviceFactory(user=staff)
    client.force_login(staff)
    _age(client, started_ago=7 * HOUR, seen_ago=MINUTE)  # signed in long ago, never passed the step
    client.post("/accounts/mfa/", {"code": current_code(staff)})
    assert time.time() - client.session[STARTED_KEY] < MINUTE
