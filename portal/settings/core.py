"""The core: apps, middleware, templates, database, languages, static files and email.

Every value that differs between a laptop and production comes from an environment variable with
a safe embedded default (SQLite, a file-system Celery broker, console email), so `make run` works on
a fresh machine, while a bad value fails at start with ImproperlyConfigured instead of at 3 am.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from portal.envreaders import env_bool, env_db, env_email, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[2]
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
    "portal.middleware.ViewerLanguageMiddleware",  # User.language over the browser's, once signed in
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
    "admin_rows": "portal.admin_rows",  # admin change-list rows, each column worked out once a page
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
# (see STORAGES in portal/settings/production.py).
WHITENOISE_USE_FINDERS = DEBUG


# Portal lists count up to this many rows exactly on every request; a longer list's total is kept
# this many seconds (portal.pagination), so deep histories are not recounted on every page view.
LIST_COUNT_EXACT_UP_TO = env_int("LIST_COUNT_EXACT_UP_TO", 1000)
LIST_COUNT_CACHE_SECONDS = env_int("LIST_COUNT_CACHE_SECONDS", 60)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env_email("EMAIL_URL", "consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Customer Care <care@example.com>")
CARE_QUEUE_EMAIL = env_str("CARE_QUEUE_EMAIL", "care-queue@example.com")
CARE_PHONE = env_str("CARE_PHONE", "+1 800 555 0100")
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
