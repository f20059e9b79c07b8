"""Reads about a user's MFA devices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

if TYPE_CHECKING:
    from portal.models import User


def mfa_enrolled(user: Any) -> bool:
    """Any confirmed device counts: a user left with only recovery codes must still use one."""
    if not user.is_authenticated:
        return False
    from portal.models import User

    return User.objects.filter(pk=user.pk).filter(
        Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        | Exists(StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        | Exists(WebAuthnCredential.objects.filter(user=OuterRef("pk"), confirmed=True))
    ).exists()


def has_authenticator(user: Any) -> bool:
    """A confirmed authenticator app: the method (with its recovery codes) a passkey is added to."""
    return bool(user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def passkey_count(user: Any) -> int:
    if not user.is_authenticated:
        return 0
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).count()


def session_verified(request: HttpRequest) -> bool:
    """Did this session pass the MFA step (django-otp's OTPMiddleware sets is_verified)?"""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def recovery_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0
