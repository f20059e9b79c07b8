"""Attachments and uploads: limits, quotas and where the files live."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from portal.envreaders import env_int, env_list, env_str
from portal.settings.core import VAR_DIR
from portal.storage_url import s3_storage_options

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

