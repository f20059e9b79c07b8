from __future__ import annotations

from django.urls import include, path

from portal.mfa import passkeys, views

urlpatterns = [
    path("accounts/mfa/", views.mfa_verify, name="mfa_verify"),
    path("accounts/mfa/enrol/", views.mfa_enrol, name="mfa_enrol"),
    path("accounts/mfa/disable/", views.mfa_disable, name="mfa_disable"),
    path("accounts/mfa/passkeys/", views.mfa_passkeys, name="mfa_passkeys"),
    path("accounts/mfa/passkey/", include((passkeys.urlpatterns, "otp_webauthn"))),
]
