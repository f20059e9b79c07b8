from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class VerifiedAdminConfig(AdminConfig):
    """django.contrib.admin with admin.site an MfaAdminSite (Django's documented way to swap it)."""

    default_site = "portal.mfa.admin_site.MfaAdminSite"
