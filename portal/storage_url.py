"""ATTACHMENT_STORAGE_URL, read into django-storages' S3Storage options.

s3://ACCESS:SECRET@host:port/bucket/optional/prefix?region=eu-west-1&secure=0&addressing_style=path
A URL without host uses AWS's own endpoint. Keys may be percent-encoded (a secret with "/" or "@").
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_FLAGS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}
_KNOWN_PARAMETERS = {"region", "secure", "addressing_style"}


def s3_storage_options(name: str, url: str) -> dict[str, Any] | None:
    """None for an empty URL (local disk); raises ImproperlyConfigured naming the variable otherwise."""
    if not url:
        return None

    def refuse(why: str) -> ImproperlyConfigured:
        # The URL holds a secret: the message names the variable, never the value.
        return ImproperlyConfigured(f"{name} is not a usable storage URL: {why}.")

    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise refuse("the scheme must be s3://")
    bucket, _, prefix = parts.path.lstrip("/").partition("/")
    if not bucket:
        raise refuse("it names no bucket (s3://key:secret@host:port/bucket)")
    if not parts.username or parts.password is None:
        raise refuse("it needs an access key and a secret (s3://key:secret@...)")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - _KNOWN_PARAMETERS
    if unknown:
        raise refuse(f"unknown parameter(s) {', '.join(sorted(unknown))}")
    secure = _FLAGS.get(query.get("secure", "1").lower())
    if secure is None:
        raise refuse("secure must be 1 or 0")
    try:
        port = parts.port
    except ValueError:
        raise refuse("the port is not a number") from None
    options: dict[str, Any] = {
        "access_key": unquote(parts.username),
        "secret_key": unquote(parts.password),
        "bucket_name": bucket,
        "location": prefix.strip("/"),
        "region_name": query.get("region") or None,
        "use_ssl": secure,
        "signature_version": "s3v4",
        # Never a public URL: objects stay private and the portal's view streams them.
        "default_acl": None,
        "querystring_auth": True,
        # Names are random tokens (cases.intake.attachments.server_name): no existence check needed.
        "file_overwrite": True,
    }
    if parts.hostname:
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        options["endpoint_url"] = f"{'https' if secure else 'http'}://{host}{f':{port}' if port else ''}"
        # S3-compatible stores on a host name or an address answer path-style requests.
        options["addressing_style"] = query.get("addressing_style", "path")
    elif "addressing_style" in query:
        options["addressing_style"] = query["addressing_style"]
    return options
