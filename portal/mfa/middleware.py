from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from portal.access import mfa_required
from portal.mfa.selectors import mfa_enrolled, session_verified
from portal.mfa.services import mfa_audit
from portal.mfa.sessions import staff_session_expired, staff_session_touch


class StaffSessionAgeMiddleware:
    """Staff sessions end STAFF_SESSION_MAX_AGE after the MFA step (default 8 hours) or after
    STAFF_SESSION_IDLE_TIMEOUT without a request (default 30 minutes); reseller users keep
    Django's SESSION_COOKIE_AGE. An ended session is signed out and sent to sign in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_staff:
            now = timezone.now().timestamp()
            if staff_session_expired(request.session, now=now):
                mfa_audit("staff_session_expired", user=user)
                logout(request)
                login_url = reverse("admin:login") if request.path.startswith("/admin/") else settings.LOGIN_URL
                return redirect_to_login(request.get_full_path(), login_url)
            staff_session_touch(request.session, now=now)
        return self.get_response(request)


class MfaRequiredMiddleware:
    """Before any other page: the MFA step for a user with a device whose session has not passed
    it, enrolment for a user who must have MFA and has none. Sign-out and the MFA pages stay open."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not session_verified(request) and not self._open(request.path):
            if mfa_enrolled(user):
                return self._to("mfa_verify", request)
            if mfa_required(user):
                return self._to("mfa_enrol", request)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        open_paths = {reverse(name) for name in (
            "mfa_verify", "mfa_enrol", "logout", "admin:logout",
            # The passkey answer on the MFA step (and the strings its script shows).
            "otp_webauthn:credential-authentication-begin", "otp_webauthn:credential-authentication-complete",
            "otp_webauthn:js-i18n-catalog",
        )}
        return path in open_paths or path.startswith(("/" + settings.STATIC_URL.lstrip("/"), "/i18n/"))

    @staticmethod
    def _to(name: str, request: HttpRequest) -> HttpResponse:
        target = reverse(name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
