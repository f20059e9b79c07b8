"""Security: cookies, TLS and headers, MFA and staff sessions, login throttling, audit, ending access."""

from __future__ import annotations

import os
from datetime import timedelta

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from portal.envreaders import env_bool, env_int, env_list, env_str
from portal.settings.core import DEBUG

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)

# TLS: off in debug (runserver has no TLS). A load balancer that ends TLS names the header it sets,
# e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https (only if it always overwrites it).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancer probes and the scraper talk plain HTTP to each host.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preload puts the domain in the list browsers ship, which takes months to undo: a per-domain
# decision (docs/deploy.md), so it is off unless asked for and Django's reminder is silenced.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
_proxy_header = env_list("SECURE_PROXY_SSL_HEADER", [])
if _proxy_header:
    if len(_proxy_header) != 2:
        raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be HEADER,value, e.g. HTTP_X_FORWARDED_PROTO,https")
    SECURE_PROXY_SSL_HEADER = (_proxy_header[0], _proxy_header[1])
# Links from the portal to other sites carry no path (case numbers stay in the portal).
SECURE_REFERRER_POLICY = env_str("SECURE_REFERRER_POLICY", "same-origin")

# Content-Security-Policy: only this site's own files; no inline script or style anywhere (JS
# lives in static/js, styles in static/css). Bootstrap's icons are data: URIs in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        **({"report-uri": [env_str("CSP_REPORT_URI", "")]} if os.environ.get("CSP_REPORT_URI") else {}),
    },
}
# Powerful browser features the portal never uses, switched off for it and anything it embeds.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: [] for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb",
    )
}

# --- MFA and staff sessions (issue 9) -------------------------------------------------------------
# django-otp: TOTP (an authenticator app) plus one static device holding the recovery codes.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Reseller Support Portal")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # django-otp's device admin never shows a secret or a QR code
MFA_RECOVERY_CODES = 10
# Staff see every reseller's data, so their sessions end sooner: 8 hours after sign-in, or after
# 30 minutes without a request. Contacts keep SESSION_COOKIE_AGE (Django's two weeks).
STAFF_SESSION_MAX_AGE = env_int("STAFF_SESSION_MAX_AGE", 8 * 60 * 60)
STAFF_SESSION_IDLE_TIMEOUT = env_int("STAFF_SESSION_IDLE_TIMEOUT", 30 * 60)

# --- Passkeys (issue 9) ---------------------------------------------------------------------------
# django-otp-webauthn: a passkey is a second factor only (after the password, like a TOTP code).
# The relying party id must be the host name the browser sees (not an IP address); passkeys
# registered under one id do not work under another.
OTP_WEBAUTHN_RP_ID = env_str("OTP_WEBAUTHN_RP_ID", "localhost")
OTP_WEBAUTHN_RP_NAME = env_str("OTP_WEBAUTHN_RP_NAME", "Reseller Support Portal")
# The exact origins (scheme, host, port) a passkey answer may come from; https only, except
# http://localhost for development (`make run` serves http://localhost:8000).
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "OTP_WEBAUTHN_ALLOWED_ORIGINS",
    [f"https://{OTP_WEBAUTHN_RP_ID}"] + (["http://localhost:8000"] if DEBUG else []),
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # no sign-in that skips the password and django-axes

# --- Login throttling and audit trail ------------------------------------------------------------
# django-axes counts failed sign-ins per username and per IP (separately) in the database; the
# backend refuses further attempts for the cool-off period with the same page for every username.
AUTHENTICATION_BACKENDS = [
    "portal.audit.backends.AuditedAxesBackend",  # axes' own, telling the trail what it refused
    "portal.tenancy.backends.MembershipModelBackend",  # the user with their membership, one query
    # Only for sessions signed in before MembershipModelBackend: it never checks a password, since
    # the backend above answers every sign-in (see its docstring).
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_USERNAME_CALLABLE = "portal.audit.usernames.login_username"  # no overlong value reaches its column
AXES_RESET_ON_SUCCESS = True
# A refused attempt does not restart the cool-off: an attacker cannot keep a real user locked out
# for ever by trying once every few minutes; it is still recorded in the audit trail.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "portal.audit.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in the audit trail
# The login views whose POSTs are serialised per username and per IP (see SerialiseLoginAttemptsMiddleware).
LOGIN_SERIALISED_VIEWS = env_list("LOGIN_SERIALISED_VIEWS", ["login", "admin:login"])
# Password-reset requests per hour, counted per IP and per email address in the audit trail.
PASSWORD_RESET_LIMIT_PER_HOUR = env_int("PASSWORD_RESET_LIMIT_PER_HOUR", 5)
# History pages in admin are for reading: a revert would bypass the services and their checks.
SIMPLE_HISTORY_REVERT_DISABLED = True
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 400)

# --- Roles and ending access (issue 9) -------------------------------------------------------------
# Sessions carry their user (portal.tenancy.sessions), so ending someone's access deletes exactly
# their sessions at once. Changing engine signs everyone out once, at the deploy that brings it.
SESSION_ENGINE = "portal.tenancy.sessions"
# What portal.tenancy.users.user_access_end revokes when a user is deactivated or a Designated
# Contact revoked; each takes user=. API tokens add their revoker here when they exist.
ACCESS_REVOKERS = [
    "portal.tenancy.users.sessions_revoke",
    "sla.maintenance.services.feed_tokens_revoke_for_user",
]
