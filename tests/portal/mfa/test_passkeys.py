"""Passkeys beside TOTP: who may add one, where the MFA step offers it, what the trail records.

The ceremony itself (a real signature) is driven by tests/browser/test_passkeys.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django_otp_webauthn.models import WebAuthnCredential

from portal.audit.models import AuditEvent, AuditKind
from portal.mfa import services
from tests.portal.factories import TEST_PASSWORD
from tests.portal.mfa.factories import PasskeyFactory, login_verified

pytestmark = pytest.mark.django_db


def _password_only(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def test_the_mfa_step_offers_a_passkey_only_to_a_user_who_has_one(enrolled_contact):
    client = _password_only(enrolled_contact.user)
    page = client.get("/accounts/mfa/").content.decode()
    assert "Use a passkey" not in page and "otp_webauthn_auth.js" not in page

    PasskeyFactory(user=enrolled_contact.user)
    page = client.get("/accounts/mfa/").content.decode()
    assert "Use a passkey" in page
    assert 'id="passkey-verification-button"' in page
    assert "/static/django_otp_webauthn/otp_webauthn_auth.js" in page
    assert 'id="otp_webauthn_config" type="application/json"' in page  # data, not an inline script


def test_the_passkey_answer_is_reachable_before_the_step_but_nothing_else(enrolled_contact):
    PasskeyFactory(user=enrolled_contact.user)
    client = _password_only(enrolled_contact.user)
    begin = client.post("/accounts/mfa/passkey/authentication/begin/")
    assert begin.status_code == 200
    options = begin.json()
    assert options["rpId"] == "localhost" and len(options["allowCredentials"]) == 1
    assert client.get("/accounts/mfa/passkey/jsi18n/").status_code == 200
    assert client.get("/cases/")["Location"].startswith("/accounts/mfa/")
    # Adding another passkey waits for the step too (the library would refuse it as well).
    assert client.post("/accounts/mfa/passkey/registration/begin/")["Location"] == "/accounts/mfa/"


def test_no_passwordless_sign_in():
    response = Client().post("/accounts/mfa/passkey/authentication/begin/")
    assert response.status_code == 403
    assert response.json()["code"] == "passwordless_login_disabled"


def test_a_passkey_is_added_next_to_an_authenticator_app_only(enrolled_contact, second_contact):
    without_app = Client()
    without_app.force_login(second_contact.user)
    response = without_app.post("/accounts/mfa/passkey/registration/begin/")
    assert response.status_code == 403 and response.json()["code"] == "authenticator_first"
    assert "Set up an authenticator app first" in without_app.get("/accounts/mfa/passkeys/").content.decode()

    client = login_verified(Client(), enrolled_contact.user)
    page = client.get("/accounts/mfa/passkeys/").content.decode()
    assert 'id="passkey-register-button"' in page and "/static/js/passkey-registered.js" in page
    options = client.post("/accounts/mfa/passkey/registration/begin/").json()
    assert options["rp"] == {"id": "localhost", "name": "Reseller Support Portal"}
    assert "Passkeys" in client.get("/profile/").content.decode()


def test_a_passkey_verification_is_in_the_trail_and_only_for_its_owner(enrolled_contact, second_contact):
    user = enrolled_contact.user
    passkey = PasskeyFactory(user=user)
    assert services.mfa_passkey_verify(user=user, credential=passkey) == passkey
    verified = AuditEvent.objects.get(kind=AuditKind.MFA_VERIFIED)
    assert verified.detail["method"] == "passkey" and verified.object_id == str(user.pk)

    with pytest.raises(PermissionDenied):
        services.mfa_passkey_verify(user=second_contact.user, credential=passkey)
    failed = AuditEvent.objects.get(kind=AuditKind.MFA_FAILED)
    assert failed.detail["method"] == "passkey" and failed.object_id == str(second_contact.user.pk)


def test_reset_removes_passkeys_too(enrolled_contact):
    user = enrolled_contact.user
    PasskeyFactory(user=user)
    services.mfa_reset(actor=user, user=user)
    assert not WebAuthnCredential.objects.filter(user=user).exists()


def test_a_garbled_passkey_answer_is_refused_and_recorded(enrolled_contact):
    PasskeyFactory(user=enrolled_contact.user)
    client = _password_only(enrolled_contact.user)
    assert client.post("/accounts/mfa/passkey/authentication/begin/").status_code == 200
    response = client.post("/accounts/mfa/passkey/authentication/complete/", {"id": "x", "response": {}},
                           content_type="application/json")
    assert 400 <= response.status_code < 500
    assert AuditEvent.objects.get(kind=AuditKind.MFA_FAILED).detail["method"] == "passkey"
    assert client.get("/cases/")["Location"].startswith("/accounts/mfa/")
    # The challenge was used up: a second answer has nothing to match.
    again = client.post("/accounts/mfa/passkey/authentication/complete/", {"id": "x"}, content_type="application/json")
    assert again.json()["code"] == "invalid_state"
