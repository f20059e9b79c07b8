"""Login throttling (django-axes): per username and per IP, the same page for unknown users,
unlock from admin; password-reset requests throttled per IP and per address."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client

from portal.audit.models import AuditEvent, AuditKind
from tests.portal.audit.signin import LOGIN_URL, WRONG_PASSWORD, is_locked_out, sign_in
from tests.portal.factories import TEST_PASSWORD, DesignatedContactFactory, StaffFactory
from tests.portal.mfa.factories import login_verified

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def _limits(settings):  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 5


@pytest.fixture
def alice():  # type: ignore[no-untyped-def]
    return DesignatedContactFactory(user__username="alice").user


def test_the_limit_per_username_refuses_even_the_right_password_from_another_ip(alice):
    for attempt in range(LIMIT - 1):
        response = sign_in("alice", WRONG_PASSWORD, ip=f"203.0.113.{attempt + 1}")
        assert response.status_code == 200 and not is_locked_out(response)
    assert is_locked_out(sign_in("alice", WRONG_PASSWORD, ip="203.0.113.50"))
    assert is_locked_out(sign_in("alice", TEST_PASSWORD, ip="203.0.113.99"))


def test_the_limit_per_ip_refuses_every_username_from_that_ip(alice):
    for attempt in range(LIMIT):
        sign_in(f"guess{attempt}", WRONG_PASSWORD, ip="203.0.113.7")
    assert is_locked_out(sign_in("alice", TEST_PASSWORD, ip="203.0.113.7"))
    response = sign_in("alice", TEST_PASSWORD, ip="203.0.113.8")
    assert response.status_code == 302  # another IP, and alice's own count is clean


def test_an_unknown_username_gets_the_same_answers_as_a_known_one(alice):
    known = [sign_in("alice", WRONG_PASSWORD, ip="203.0.113.1") for _ in range(LIMIT + 1)]
    unknown = [sign_in("nobody-here", WRONG_PASSWORD, ip="203.0.113.2") for _ in range(LIMIT + 1)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [200] * (LIMIT - 1) + [429, 429]
    assert known[0].context["form"].non_field_errors() == unknown[0].context["form"].non_field_errors()
    assert known[-1].content == unknown[-1].content
    assert is_locked_out(unknown[-1])


def test_unlocking_in_admin_lets_the_user_sign_in(alice):
    for _ in range(LIMIT):
        sign_in("alice", WRONG_PASSWORD)
    assert is_locked_out(sign_in("alice", TEST_PASSWORD))
    staff = Client()
    login_verified(staff, StaffFactory())
    attempts = list(AccessAttempt.objects.filter(username="alice").values_list("pk", flat=True))
    response = staff.post("/admin/axes/accessattempt/", {
        "action": "delete_selected", "_selected_action": attempts, "post": "yes",
    })
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    response = sign_in("alice", TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    # The unlock itself is in the trail, as an admin deletion of the attempt.
    assert AuditEvent.objects.filter(kind=AuditKind.ADMIN_DELETED, object_type="axes.accessattempt").exists()


def test_a_success_before_the_limit_starts_the_count_again(alice):
    for _ in range(LIMIT - 1):
        sign_in("alice", WRONG_PASSWORD)
    assert sign_in("alice", TEST_PASSWORD).status_code == 302
    for _ in range(LIMIT - 1):
        assert not is_locked_out(sign_in("alice", WRONG_PASSWORD))


def _reset(email: str, ip: str) -> object:
    return Client(REMOTE_ADDR=ip).post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_requests_are_limited_per_address(alice):
    for attempt in range(5):
        assert _reset(alice.email, f"203.0.113.{attempt + 1}").status_code == 302
    refused = _reset(alice.email, "203.0.113.77")
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert len(mail.outbox) == 5
    assert AuditEvent.objects.filter(kind=AuditKind.PASSWORD_RESET_THROTTLED, detail__email=alice.email).count() == 1


def test_password_reset_requests_are_limited_per_ip_and_read_the_same_for_unknown_addresses(alice):
    for attempt in range(5):
        assert _reset(f"stranger{attempt}@example.test", "203.0.113.9").status_code == 302
    unknown = _reset("nobody@example.test", "203.0.113.9")
    known = _reset(alice.email, "203.0.113.9")
    assert unknown.status_code == known.status_code == 429
    assert unknown.context["form"].non_field_errors() == known.context["form"].non_field_errors()
    assert mail.outbox == []  # none of the strangers exist; alice's request was refused
    assert _reset(alice.email, "203.0.113.10").status_code == 302  # another IP, alice's first request


def test_the_login_page_still_renders(client):
    assert client.get(LOGIN_URL).status_code == 200


def test_the_admin_sign_in_counts_the_same_way():
    StaffFactory(username="casey")
    admin_login = Client(REMOTE_ADDR="203.0.113.30")
    for _ in range(LIMIT - 1):
        response = admin_login.post("/admin/login/", {"username": "casey", "password": WRONG_PASSWORD})
        assert response.status_code == 200
    assert is_locked_out(admin_login.post("/admin/login/", {"username": "casey", "password": WRONG_PASSWORD}))
    assert is_locked_out(admin_login.post("/admin/login/", {"username": "casey", "password": TEST_PASSWORD}))
