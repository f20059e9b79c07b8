"""Passkeys through django-otp-webauthn: its JSON ceremony views, narrowed to our MFA rules.

The library verifies the WebAuthn answers (challenge in the session, origin against
OTP_WEBAUTHN_ALLOWED_ORIGINS, RP id, signature, sign count). These subclasses add what the
portal decides: a passkey is added only next to an authenticator app (so recovery codes exist),
it is a second factor only, and passing the MFA step with it cycles the session and writes the
audit trail exactly as a TOTP code does.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from portal.access import acting_user
from portal.mfa import services
from portal.mfa.selectors import has_authenticator
from portal.mfa.views import mark_verified, next_url


class AuthenticatorFirst(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = _("Set up an authenticator app first; then you can add a passkey.")
    default_code = "authenticator_first"


class _AuthenticatorFirstMixin:
    request: Any

    def check_can_register(self) -> None:
        if not has_authenticator(self.request.user):
            raise AuthenticatorFirst()


class PasskeyRegistrationBegin(_AuthenticatorFirstMixin, BeginCredentialRegistrationView):
    pass


class PasskeyRegistrationComplete(_AuthenticatorFirstMixin, CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(*args, **kwargs)
        credential = WebAuthnCredential.objects.get(pk=json.loads(response.content)["id"])
        services.mfa_passkey_registered(user=acting_user(self.request), credential=credential)
        return response


class PasskeyAuthenticationBegin(BeginCredentialAuthenticationView):
    """The library's own; named here so every MFA route lives in portal.mfa."""


class PasskeyStrings(JavaScriptCatalog):
    """The translated strings the library's scripts show."""

    packages = ["django_otp_webauthn"]


class PasskeyAuthenticationComplete(CompleteCredentialAuthenticationView):
    def complete_auth(self, device: Any) -> None:
        """Only the MFA step of a session whose password was already right (no passwordless sign-in)."""
        if not self.request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        credential = services.mfa_passkey_verify(user=acting_user(self.request), credential=device)
        mark_verified(self.request, credential)

    def get_success_url(self) -> str:
        return next_url(self.request)

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, exceptions.OTPWebAuthnApiError) and self.request.user.is_authenticated:
            services.mfa_passkey_failed(user=acting_user(self.request), stage="verify", reason=exc.code)
        response: HttpResponse = super().handle_exception(exc)
        return response


# The names (and the namespace, see portal/mfa/urls.py) the library's template tags reverse.
urlpatterns = [
    path("registration/begin/", PasskeyRegistrationBegin.as_view(), name="credential-registration-begin"),
    path("registration/complete/", PasskeyRegistrationComplete.as_view(), name="credential-registration-complete"),
    path("authentication/begin/", PasskeyAuthenticationBegin.as_view(), name="credential-authentication-begin"),
    path("authentication/complete/", PasskeyAuthenticationComplete.as_view(),
         name="credential-authentication-complete"),
    path("jsi18n/", PasskeyStrings.as_view(), name="js-i18n-catalog"),
]
