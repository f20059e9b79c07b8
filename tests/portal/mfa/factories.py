"""MFA devices for tests, and a signed-in session that has passed the MFA step."""

from __future__ import annotations

import time
from typing import Any

import factory
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from factory.django import DjangoModelFactory

from portal.mfa.sessions import staff_session_touch
from tests.portal.factories import UserFactory

# A fixed secret (hex, as django-otp stores it), so a test can compute the device's codes.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


class TOTPDeviceFactory(DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    key = TEST_TOTP_KEY
    confirmed = True


class StaticDeviceFactory(DjangoModelFactory):
    class Meta:
        model = StaticDevice
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    name = "Recovery codes"
    confirmed = True

    @factory.post_generation
    def codes(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create:
            for code in extracted or []:
                StaticToken.objects.create(device=self, token=code)


def totp_code(device: TOTPDevice, *, at: float) -> str:
    """The code the device's app shows at `at` (epoch seconds)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at
    return f"{totp.token():0{device.digits}d}"


def login_verified(client: Client, user: Any) -> Client:
    """force_login plus the MFA step: a confirmed device and a session that says it was used.

    The staff sessions of tests that work in admin come from here (tests/conftest.py client_for)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDeviceFactory(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    staff_session_touch(session, now=time.time())  # as the first request would: no write on it
    session.save()
    return client


class PasskeyFactory(DjangoModelFactory):
    """A stored passkey (no real key pair: for what is decided before any signature is checked)."""

    class Meta:
        model = WebAuthnCredential

    user = factory.SubFactory(UserFactory)
    name = "Passkey"
    confirmed = True
    credential_id = factory.Sequence(lambda number: f"credential-{number}".encode())
    public_key = b"not-a-real-key"
