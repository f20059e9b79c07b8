from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from portal.mfa.selectors import session_verified


class MfaAdminSite(admin.AdminSite):
    """Admin opens only to a session that passed the MFA step.

    MfaRequiredMiddleware sends staff to the step (or to enrolment) before they get here; this is
    the check that holds even if the middleware is left out. Like django-otp's OTPAdminSite, but
    keeping Django's own login page: the code is asked for on a page of its own."""

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and session_verified(request)
