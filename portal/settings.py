"""Settings read from the environment.

Every value that differs between a laptop and production comes from an environment variable with
a safe embedded default (SQLite, a file-system Celery broker, console email), so `make run` works on
a fresh machine, while a bad value fails at start with ImproperlyConfigured instead of at 3 am.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.envreaders import env_bool, env_db, env_email, env_int, env_list, env_str
from portal.storage_url import s3_storage_options

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-dev-only-key" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "portal",
    "cases",
    "sla",
    # django.contrib.admin, with an admin site that opens only to an OTP-verified session.
    "portal.mfa.apps.VerifiedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_otp",  # MFA: the device framework, TOTP devices, static devices (recovery codes)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",  # MFA: passkeys (WebAuthn credentials as django-otp devices)
    "axes",  # login throttling: failed attempts per user and per IP, unlock in admin
    "simple_history",  # history of the models that move deadlines or rights
    "csp",  # Content-Security-Policy (its system checks catch old-style settings)
    "django_prometheus",  # request latency metrics; /metrics is portal.observability's own view
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first: times the whole chain
    "portal.observability.requestid.RequestIdMiddleware",  # before anything that logs
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every response
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "portal.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the body first: an unreadable upload comes back as its page with a message.
    "portal.upload_limits.UnreadableUploadMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): did this session pass MFA
    "portal.mfa.middleware.StaffSessionAgeMiddleware",  # staff sessions end sooner (see the settings)
    "portal.audit.middleware.AuditRequestMiddleware",  # the trail knows the request's path and IP
    "simple_history.middleware.HistoryRequestMiddleware",  # history rows name who changed it
    "portal.audit.middleware.SerialiseLoginAttemptsMiddleware",  # exact lockout under parallel posts
    "portal.middleware.ViewerTimezoneMiddleware",
    "portal.middleware.ResellerUsersStayOutOfAdminMiddleware",
    "portal.mfa.middleware.MfaRequiredMiddleware",  # the MFA step or enrolment before any other page
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a lockout into the lockout page; keep it last
    "django_prometheus.middleware.PrometheusAfterMiddleware",  # last: status and view labels
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

# Tag libraries live in the topic they serve, so they are named here.
TEMPLATE_LIBRARIES = {
    "sla_tags": "sla.clocks.templatetags",
    "maintenance_tags": "sla.maintenance.templatetags",
    "case_escalation": "cases.escalation.templatetags",
    "case_table": "cases.intake.templatetags",  # the case list's rows, built in Python for speed
}
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal_context",
            ],
            "libraries": TEMPLATE_LIBRARIES,
        },
    },
    {
        # Email subjects and plain-text bodies (portal.notify.rendering): HTML escaping there
        # would show a reader "R&amp;D" instead of "R&D". The first engine stays the default.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False, "libraries": TEMPLATE_LIBRARIES},
    },
]

DATABASES = {"default": env_db("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Validates nothing: Django tells it about every password set, which the audit trail records.
    {"NAME": "portal.audit.passwords.RecordPasswordChanges"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# The platform promises its UI in these 18 languages (platform overview, "Languages").
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("zh-hans", _("Chinese (Simplified)")),
    ("zh-hant", _("Chinese (Traditional)")),
    ("da", _("Danish")),
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("fi", _("Finnish")),
    ("fr", _("French")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("nb", _("Norwegian")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("es", _("Spanish")),
    ("sv", _("Swedish")),
    ("th", _("Thai")),
    ("tr", _("Turkish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Serving from the finders keeps `make run` free of a collectstatic step; production collects
# (see "Production: static files" below).
WHITENOISE_USE_FINDERS = DEBUG

# Attachments live outside any URL-mapped folder: the only way out is the access-checked view.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_ALLOWED_EXTENSIONS = env_list(
    "ATTACHMENT_ALLOWED_EXTENSIONS",
    ["log", "txt", "csv", "json", "xml", "har", "pcap", "png", "jpg", "jpeg", "pdf", "zip", "gz"],
)

# --- Uploads and attachment storage ---------------------------------------------------------------
# Bounded uploads (issue 9): portal.upload_limits.BoundedUploadHandler stops storing files past
# these per-request totals while the rest of the form is still read, so the form comes back with a
# message and everything typed; Django's own file count is only the backstop for abusive posts.
ATTACHMENT_MAX_FILES_PER_REQUEST = env_int("ATTACHMENT_MAX_FILES_PER_REQUEST", 10)
ATTACHMENT_MAX_REQUEST_BYTES = env_int("ATTACHMENT_MAX_REQUEST_BYTES", 50 * 1024 * 1024)
# Files kept from rejected forms, per user at once, and how long an abandoned one is kept.
ATTACHMENT_MAX_STAGED_BYTES_PER_USER = env_int("ATTACHMENT_MAX_STAGED_BYTES_PER_USER", 100 * 1024 * 1024)
STAGED_UPLOAD_MAX_AGE_HOURS = env_int("STAGED_UPLOAD_MAX_AGE_HOURS", 24)
# Each reseller's attachment storage (Reseller.attachment_quota_bytes overrides it); the case page
# says so in words from this share on.
ATTACHMENT_QUOTA_BYTES_PER_RESELLER = env_int("ATTACHMENT_QUOTA_BYTES_PER_RESELLER", 5 * 1024**3)
ATTACHMENT_QUOTA_WARN_PERCENT = env_int("ATTACHMENT_QUOTA_WARN_PERCENT", 80)
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 200)
if DATA_UPLOAD_MAX_NUMBER_FILES < ATTACHMENT_MAX_FILES_PER_REQUEST:
    raise ImproperlyConfigured("DATA_UPLOAD_MAX_NUMBER_FILES must be at least ATTACHMENT_MAX_FILES_PER_REQUEST.")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default: larger files spool to a temporary file
FILE_UPLOAD_HANDLERS = [
    "portal.upload_limits.BoundedUploadHandler",  # first: it decides before the others store a byte
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Shared storage (issue 10): s3://ACCESS:SECRET@host:port/bucket?region=...&secure=0 puts
# attachments and staged uploads in an S3-compatible bucket (django-storages); empty keeps the
# private folder above. The bucket must not be public: downloads go through the access-checked view.
ATTACHMENT_STORAGE_URL = env_str("ATTACHMENT_STORAGE_URL", "")
ATTACHMENT_S3_OPTIONS = s3_storage_options("ATTACHMENT_STORAGE_URL", ATTACHMENT_STORAGE_URL)
# --- end of uploads and attachment storage --------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env_email("EMAIL_URL", "consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Customer Care <care@example.com>")
CARE_QUEUE_EMAIL = env_str("CARE_QUEUE_EMAIL", "care-queue@example.com")
CARE_PHONE = env_str("CARE_PHONE", "+1 800 555 0100")
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# An outbox row that failed this many times is marked failed (staff can retry it in the admin).
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 8)

# Celery: the embedded default is kombu's file-system transport, which needs no server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # portal/celery.py makes these folders when a process starts: importing settings writes nothing.
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A frozen Redis accepts the TCP connection and never answers: without a socket timeout a
    # publish from a web request waits for ever. Seconds, so a request fails over to "the beat
    # will publish it" quickly; workers keep reconnecting (broker_connection_retry stays on).
    _broker_socket_timeout = env_int("CELERY_BROKER_SOCKET_TIMEOUT", 2)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": _broker_socket_timeout,
        "socket_connect_timeout": _broker_socket_timeout,
        "retry_on_timeout": False,
    }
# kombu's reconnect loop before a publish gives up after this many seconds (Celery's default: 4).
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
# A worker started before the broker waits for it instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# No publish retries: a request must not sleep through a broker outage. What is not published is
# still in the database (the outbox, the SLA alerts) and the beat publishes it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": env_int("CELERY_TASK_PUBLISH_MAX_RETRIES", 0),
    "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 120)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 90)
# A worker killed mid-task gives the message back instead of losing it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "sla-sweep": {"task": "sla.alerts.tasks.sweep_milestones", "schedule": 60.0},
    "followup-sweep": {"task": "cases.followups.tasks.sweep_followups", "schedule": 60.0},
    "notify-requeue": {"task": "portal.notify.tasks.requeue_notifications", "schedule": 60.0},
    # Staged uploads of abandoned forms (STAGED_UPLOAD_MAX_AGE_HOURS), their files too.
    "staged-uploads-purge": {"task": "cases.intake.tasks.purge_staged_uploads", "schedule": 3600.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)


# ---------------------------------------------------------------------------------------------
# Production: static files, processes, health, logs, metrics, Sentry and security headers
# (issue 10 "Processes/Health/Logs and metrics/Static and settings", issue 9 "Headers").
# docs/deploy.md explains each variable. Nothing here writes to disk.
# ---------------------------------------------------------------------------------------------
import os  # noqa: E402

from csp.constants import NONE, SELF  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from portal.observability.logconfig import logging_config  # noqa: E402

# Static files: `collectstatic` (the Procfile's release step) writes hashed, compressed copies
# that whitenoise serves with far-future caching; in debug the finders serve the sources.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
        else "portal.staticstorage.PortalStaticFilesStorage",  # whitenoise compressed manifest
    },
}

# PostgreSQL connection reuse: seconds a connection outlives its request (0 with pgbouncer in
# transaction mode is fine too); pgbouncer in transaction mode also needs server-side cursors off.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", DATABASES["default"].get("CONN_MAX_AGE", 0))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DB_CONN_HEALTH_CHECKS", True)
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False)

# Redis re-delivers an unacknowledged (acks_late) task after the visibility timeout: it must be
# longer than any task may run, or a slow task runs twice at once.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    _visibility_timeout = env_int("CELERY_BROKER_VISIBILITY_TIMEOUT", 3600)
    if _visibility_timeout <= CELERY_TASK_TIME_LIMIT:
        raise ImproperlyConfigured("CELERY_BROKER_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT.")
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = _visibility_timeout
CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", 0) or None  # None: one per CPU
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log through LOGGING below (portal/celery.py)

# Health: a beat-scheduled task records a heartbeat; /readyz fails when it is older than this.
_heartbeat_every = env_int("HEALTH_BEAT_INTERVAL_SECONDS", 30)
CELERY_BEAT_SCHEDULE["beat-heartbeat"] = {
    "task": "portal.health.tasks.record_beat_heartbeat", "schedule": float(_heartbeat_every),
    "options": {"expires": _heartbeat_every},
}
HEALTH_BEAT_MAX_AGE_SECONDS = env_int("HEALTH_BEAT_MAX_AGE_SECONDS", 120)
HEALTH_OUTBOX_MAX_BACKLOG = env_int("HEALTH_OUTBOX_MAX_BACKLOG", 100)

# Logs: one line per record on stdout, JSON in production, each with the request (or task) id.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
try:
    LOGGING = logging_config(log_format=LOG_FORMAT, level=env_str("LOG_LEVEL", "INFO"))
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from None

# Metrics: /metrics answers a bearer token when one is set, else only these client addresses.
METRICS_BEARER_TOKEN = env_str("METRICS_BEARER_TOKEN", "")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])

# Sentry only when a DSN is set.
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    from portal.observability.sentry import sentry_init

    try:
        _traces_sample_rate = float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0"))
    except ValueError:
        raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number between 0 and 1.") from None
    sentry_init(
        dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=_traces_sample_rate, release=os.environ.get("SENTRY_RELEASE"),
    )

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
CELERY_BEAT_SCHEDULE["audit-prune"] = {"task": "portal.audit.tasks.prune_audit_events", "schedule": 24 * 3600.0}

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

# --- Alert sweep (issue 10): how often the beat sweeps for due SLA alerts and how many one tick
# claims. The scale-out profile (tests/scaleout) sweeps every few seconds to raise alerts in its run.
SLA_SWEEP_INTERVAL = env_int("SLA_SWEEP_INTERVAL", 60)
SLA_SWEEP_BATCH = env_int("SLA_SWEEP_BATCH", 1000)
CELERY_BEAT_SCHEDULE["sla-sweep"]["schedule"] = float(SLA_SWEEP_INTERVAL)
