"""The request being served, for code that records it without being handed it (access.one_or_404,
the password hook). A contextvar, so threads (and async tasks) never see each other's request."""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest

current_request: ContextVar[HttpRequest | None] = ContextVar("portal_audit_request", default=None)


def request_ip(request: HttpRequest | None) -> str | None:
    """REMOTE_ADDR, as axes counts it: behind a proxy, set it from the proxy's header there."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
