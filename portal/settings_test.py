"""Test settings: fast hashing, in-memory mail, files under a throw-away folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret")

from portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-private-"))
ALLOWED_HOSTS = ["*"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Tasks run inline in tests; the broker round trip test turns this off for itself.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    # A fresh queue per run, so a developer's pending `make run` messages never reach a test worker.
    _test_queue = Path(tempfile.mkdtemp(prefix="portal-test-queue-"))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_test_queue),
        "data_folder_out": str(_test_queue),
        "control_folder": str(_test_queue / "control"),
        "store_processed": False,
    }
# Production headers stay on (their tests check them), but the test client speaks plain HTTP, and
# static files come from the finders: no collectstatic (and no manifest) before a test run.
SECURE_SSL_REDIRECT = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
