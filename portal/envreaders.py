"""Small typed readers of the environment, after healthchecks' envbool/envint.

django-environ parses URLs; these wrappers make every bad value raise ImproperlyConfigured with the
variable's name, so a misconfigured deployment refuses to start.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set (there is no safe default).")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_db(name: str, default: str) -> dict[str, Any]:
    url = os.environ.get(name) or default
    scheme = url.split(":", 1)[0]
    if scheme not in environ.Env.DB_SCHEMES:
        raise ImproperlyConfigured(f"{name}={url!r}: unknown database scheme {scheme!r}.")
    try:
        config = environ.Env.db_url_config(url)
    except Exception as exc:  # django-environ raises several types for a malformed URL
        raise ImproperlyConfigured(f"{name}={url!r} is not a usable database URL: {exc}") from None
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Re-using connections matters for the portal's many small requests.
        config.setdefault("CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
    return config


def env_email(name: str, default: str) -> dict[str, Any]:
    url = os.environ.get(name) or default
    try:
        config = environ.Env.email_url_config(url)
    except Exception as exc:
        raise ImproperlyConfigured(f"{name}={url!r} is not a usable email URL: {exc}") from None
    if not config.get("EMAIL_BACKEND"):
        raise ImproperlyConfigured(f"{name}={url!r}: unknown email scheme.")
    if config.get("EMAIL_FILE_PATH"):
        # django-environ drops the leading slash; filemail:///var/mail means /var/mail.
        config["EMAIL_FILE_PATH"] = urlparse(url).path
    # Unset parts keep Django's defaults rather than becoming None.
    return {key: value for key, value in config.items() if value not in (None, "")}
