"""Production: static files, connection reuse, health thresholds, logs, metrics and Sentry.

docs/deploy.md explains each variable. Nothing here writes to disk.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from portal.envreaders import env_bool, env_int, env_list, env_str
from portal.observability.logconfig import logging_config
from portal.settings.core import DATABASES, DEBUG

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
