"""Signing in and the signed-in user (portal.tenancy.backends.MembershipModelBackend)."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, user_logged_in, user_login_failed
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from portal.tenancy.backends import MembershipModelBackend
from tests.portal.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_signed_in_user_arrives_with_membership_and_reseller(contact, django_assert_num_queries):
    client = Client()
    client.post(reverse("login"), {"username": "alice", "password": TEST_PASSWORD})
    assert client.session[BACKEND_SESSION_KEY] == "portal.tenancy.backends.MembershipModelBackend"
    with django_assert_num_queries(1):
        user = MembershipModelBackend().get_user(contact.user.pk)
        assert user.membership.reseller.name == contact.reseller.name


def test_a_wrong_password_is_hashed_once_and_fails_once(contact, monkeypatch):
    hashed: list[str] = []
    original = MD5PasswordHasher.verify

    def counting(self, password, encoded):  # type: ignore[no-untyped-def]
        hashed.append(password)
        return original(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", counting)
    failures: list[object] = []
    user_login_failed.connect(lambda **kwargs: failures.append(kwargs), weak=False, dispatch_uid="t-fail")
    try:
        page = Client().post(reverse("login"), {"username": "alice", "password": "wrong-password"})
        assert page.status_code == 200 and "_auth_user_id" not in page.wsgi_request.session
    finally:
        user_login_failed.disconnect(dispatch_uid="t-fail")
    assert hashed == ["wrong-password"]  # the plain ModelBackend after it never tries again
    assert len(failures) == 1


def test_a_session_signed_in_through_the_plain_model_backend_stays_signed_in(contact):
    client = Client()
    client.force_login(contact.user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/cases/")
    assert page.status_code == 200 and page.context["user"] == contact.user


def test_a_right_password_signs_in(contact):
    signed_in: list[object] = []
    user_logged_in.connect(lambda **kwargs: signed_in.append(kwargs), weak=False, dispatch_uid="t-in")
    try:
        page = Client().post(reverse("login"), {"username": "alice", "password": TEST_PASSWORD})
        assert page.status_code == 302
    finally:
        user_logged_in.disconnect(dispatch_uid="t-in")
    assert len(signed_in) == 1
