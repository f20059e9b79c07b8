"""One id per request (or Celery task) on every log line, and on the response as X-Request-ID.

A contextvar, not a thread-local: it is correct under gunicorn's threads and in async views, and a
Celery task sets it for the length of the task (celery signals below)."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
NO_ID = "-"
# A load balancer's id is kept only when it looks like one: a client must not be able to write
# arbitrary text (newlines, JSON) into every log line of its request.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=NO_ID)


def current_request_id() -> str:
    return request_id.get()


def _incoming_or_new(value: str | None) -> str:
    if value and _ACCEPTABLE.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in the chain, so every later middleware's log lines carry the id too.

    The id is not reset when the chain returns: Django logs a 4xx/5xx ("Not Found: ...") after the
    middleware, so it is cleared when the response is finished (request_finished, below)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = _incoming_or_new(request.headers.get(HEADER))
        request_id.set(rid)
        response = self.get_response(request)
        response[HEADER] = rid
        return response


def _clear_request_id(**kwargs: Any) -> None:
    request_id.set(NO_ID)


# Only clears the log context; nothing else happens on this signal.
request_finished.connect(_clear_request_id, dispatch_uid="portal-request-id-clear")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record the handler formats (also records of other libraries)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


def bind_celery_task_ids() -> None:
    """In a worker the id of the running task stands in for the request id."""
    from celery.signals import task_postrun, task_prerun

    tokens: dict[str, contextvars.Token[str]] = {}

    def started(task_id: str | None = None, **kwargs: Any) -> None:
        if task_id:
            tokens[task_id] = request_id.set(task_id)

    def finished(task_id: str | None = None, **kwargs: Any) -> None:
        token = tokens.pop(task_id or "", None)
        if token is not None:
            request_id.reset(token)

    task_prerun.connect(started, weak=False, dispatch_uid="portal-request-id-start")
    task_postrun.connect(finished, weak=False, dispatch_uid="portal-request-id-end")
