"""Every log line carries the request id, the response names it, and JSON lines parse."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from portal.observability.requestid import HEADER, RequestIdFilter, current_request_id


@pytest.fixture
def json_log(settings) -> Iterator[io.StringIO]:  # type: ignore[no-untyped-def]
    """The root handler that settings.LOGGING installed (JSON without DEBUG), writing to a buffer."""
    assert settings.LOG_FORMAT == "json"
    handler = next(
        handler for handler in logging.getLogger().handlers
        if any(isinstance(f, RequestIdFilter) for f in handler.filters)
    )
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def _lines(buffer: io.StringIO) -> list[dict[str, str]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_a_request_id_is_made_and_appears_in_the_json_log_line_and_the_response_header(json_log):
    response = Client().get("/no-such-page/")  # Django logs "Not Found" at WARNING
    assert response.status_code == 404
    request_id = response[HEADER]
    assert len(request_id) == 32
    lines = [line for line in _lines(json_log) if line["message"].startswith("Not Found")]
    assert lines and lines[0]["request_id"] == request_id
    assert {"time", "level", "logger"} <= lines[0].keys()


@pytest.mark.django_db
def test_the_load_balancers_request_id_is_kept_and_a_forged_one_replaced(json_log):
    response = Client().get("/no-such-page/", headers={HEADER: "lb-7f3a.2"})
    assert response[HEADER] == "lb-7f3a.2"
    assert _lines(json_log)[-1]["request_id"] == "lb-7f3a.2"

    forged = Client().get("/no-such-page/", headers={HEADER: 'x"}\n{"level": "CRITICAL'})
    assert forged[HEADER] != 'x"}\n{"level": "CRITICAL' and len(forged[HEADER]) == 32


def test_outside_a_request_the_id_is_a_dash():
    assert current_request_id() == "-"


def test_a_celery_task_logs_with_its_task_id(json_log):
    from celery import shared_task

    seen: list[str] = []

    @shared_task
    def note() -> None:
        seen.append(current_request_id())
        logging.getLogger("portal.test").warning("inside the task")

    result = note.apply(task_id="task-1234")  # eager, with the worker's prerun/postrun signals
    assert result.successful()
    assert seen == ["task-1234"]
    assert current_request_id() == "-"
    lines = [line for line in _lines(json_log) if line["message"] == "inside the task"]
    assert [line["request_id"] for line in lines] == ["task-1234"]
