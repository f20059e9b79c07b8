from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class VerifiedAdminConfig(AdminConfig):
    """django.contrib.admin with admin.site an MfaAdminSite (Django's documented way to swap it)."""

    default_site = "portal.mfa.admin_site.MfaAdminSite"

    def ready(self) -> None:
        super().ready()  # autodiscover: django-otp registers its device admins here
        from django.contrib import admin
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # Staff never add or edit someone's devices (one with a key they chose would be theirs to
        # use); a user enrols themself, and the user admin's "Reset MFA" removes them.
        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
