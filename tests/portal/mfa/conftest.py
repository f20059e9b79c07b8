from __future__ import annotations

import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.portal.mfa.factories import StaticDeviceFactory, TOTPDeviceFactory, totp_code

RECOVERY_CODES = ["alpha234", "bravo567"]


@pytest.fixture
def enrolled_contact(contact):  # type: ignore[no-untyped-def]
    """alice with an authenticator and two recovery codes."""
    TOTPDeviceFactory(user=contact.user)
    StaticDeviceFactory(user=contact.user, codes=RECOVERY_CODES)
    return contact


@pytest.fixture
def current_code():  # type: ignore[no-untyped-def]
    def code(user) -> str:  # type: ignore[no-untyped-def]
        device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
        assert device is not None
        return totp_code(device, at=time.time())

    return code
