"""/healthz and /readyz, for load balancers and monitors (plain text, no login, never cached)."""

from __future__ import annotations

import logging
import timeit
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import add_never_cache_headers
from django.views import View
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck, HealthCheckResult
from health_check.exceptions import HealthCheckException
from health_check.views import HealthCheckView

from portal.health.checks import READINESS_CHECKS

log = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers. Touches nothing else: a database outage must not restart every web
    process, only take them out of rotation (that is /readyz)."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def _result(check: HealthCheck) -> HealthCheckResult:
    start = timeit.default_timer()
    error: HealthCheckException | None = None
    try:
        check.run()
    except HealthCheckException as exc:
        error = exc
        log.warning("Readiness check %r failed: %s", check, exc)
    except Exception:
        log.exception("Readiness check %r raised", check)
        error = HealthCheckException("unknown error")
    return HealthCheckResult(check=check, error=error, time_taken=timeit.default_timer() - start)


class ReadinessView(HealthCheckView):
    """The library's checks, results and text/JSON output, run synchronously.

    The library's view is async and runs each check in a thread pool: under gunicorn's sync
    workers that means an event loop and pool threads (each with its own database connection) per
    probe, and it fails where an event loop already runs in the thread. Answers 503, which load
    balancers and Kubernetes read as "not ready" (the library answers 500)."""

    checks = READINESS_CHECKS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return View.dispatch(self, request, *args, **kwargs)  # the plain, synchronous dispatch

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.results = [_result(check) for check in self.get_checks()]
        status = 503 if any(result.error for result in self.results) else 200
        wants_json = request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", "")
        response: HttpResponseBase = (
            self.render_to_response_json(status) if wants_json else self.render_to_response_text(status)
        )
        add_never_cache_headers(response)
        return response
