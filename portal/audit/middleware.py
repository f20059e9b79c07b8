"""Middleware of the audit trail and of exact login throttling."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from axes.conf import settings
from axes.helpers import get_client_ip_address
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from portal.audit.context import current_request
from portal.audit.services import admin_action_record


class AuditRequestMiddleware:
    """Makes the request known to the trail's services for as long as it is served, and records
    each admin action run from a changelist (approve, revoke, retry...): those write no LogEntry.
    Deletions are left out here: they are recorded per object as admin deletions."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            response = self.get_response(request)
            if request.method == "POST" and request.POST.get("action"):
                admin_action_record(request=request)
            return response
        finally:
            current_request.reset(token)


_local_locks: dict[str, threading.Lock] = {}
_local_locks_guard = threading.Lock()


@contextmanager
def _held(keys: list[str]) -> Iterator[None]:
    """Holds one lock per key, in sorted order (so two holders never wait on each other), until the
    block ends. PostgreSQL: transaction-scoped advisory locks, shared by every web process. Other
    databases (SQLite in development): a lock per key inside this process."""
    keys = sorted(set(keys))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for key in keys:
                    digest = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [digest])
            yield
            return
        with _local_locks_guard:
            locks = [_local_locks.setdefault(key, threading.Lock()) for key in keys]
        for lock in locks:
            lock.acquire()
        try:
            yield
        finally:
            for lock in reversed(locks):
                lock.release()


class SerialiseLoginAttemptsMiddleware:
    """Serves sign-in POSTs one at a time per username and per IP.

    Axes checks the failure count before the password and records the failure after it, so twenty
    parallel attempts all pass the check before the first failure is written: all twenty would
    learn whether their password was right. Holding a lock per username and per IP from before the
    check until the failure is committed makes the count exact: at most AXES_FAILURE_LIMIT attempts
    reach the password. Only POSTs to the views named in LOGIN_SERIALISED_VIEWS wait."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not self._is_login(request):
            return self.get_response(request)
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
        keys = [f"login-ip:{get_client_ip_address(request) or ''}", f"login-user:{username}"]
        with _held(keys):
            return self.get_response(request)

    @staticmethod
    def _is_login(request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in settings.LOGIN_SERIALISED_VIEWS
