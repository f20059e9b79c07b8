"""Rules for files people send us: size, type, a server-made name, and a scan for customer data."""

from __future__ import annotations

import os
import posixpath
import re
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cases.intake.logscan import SCAN_LIMIT_BYTES, scan_upload

# Executables renamed to .log are still executables.
_FORBIDDEN_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


def clean_original_name(raw: str) -> str:
    """Keeps only a display name: no folders, no control characters, nothing path-like."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/")
    name = posixpath.basename(name)
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    return name[:200] or "attachment"


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_upload(upload: UploadedFile) -> str:
    """Returns the cleaned display name or raises ValidationError saying what is wrong."""
    name = clean_original_name(upload.name or "")
    allowed = settings.ATTACHMENT_ALLOWED_EXTENSIONS
    if extension_of(name) not in allowed:
        raise ValidationError(
            _("%(name)s: files of this type are not accepted. Allowed types: %(types)s."),
            params={"name": name, "types": ", ".join(sorted(allowed))},
            code="file_type",
        )
    if upload.size is None or upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than the %(limit)s limit."),
            params={"name": name, "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
            code="file_size",
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty."), params={"name": name}, code="file_empty")
    head = _read_head(upload, 16)
    if head.startswith(_FORBIDDEN_MAGIC):
        raise ValidationError(
            _("%(name)s looks like a program, which is not accepted."), params={"name": name},
            code="file_type",
        )
    return name


def findings_for(upload: UploadedFile, name: str) -> list[dict[str, object]]:
    return [finding.as_dict() for finding in scan_upload(name, _read_head(upload, SCAN_LIMIT_BYTES))]


def server_name(display_name: str) -> str:
    """The stored name is ours: a random token keeps names unguessable and free of tricks."""
    extension = extension_of(display_name)
    return os.path.join("uploads", uuid.uuid4().hex + (f".{extension}" if extension else ""))


def _read_head(upload: UploadedFile, size: int) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head
