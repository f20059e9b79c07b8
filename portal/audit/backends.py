"""Axes' backend, marking the attempts it refuses before any password is checked."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.http import HttpRequest

REFUSED_UNREAD = "login_refused_unread"


class AuditedAxesBackend(AxesStandaloneBackend):
    """The trail tells "wrong password" from "refused while locked out": both reach Django's
    user_login_failed signal, and only this backend knows which it was."""

    def authenticate(self, request: HttpRequest, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> None:
        try:
            return super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            setattr(request, REFUSED_UNREAD, True)
            raise
