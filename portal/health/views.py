"""/healthz and /readyz, for load balancers and monitors (plain text, no login, never cached)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from health_check.views import HealthCheckView

from portal.health.checks import READINESS_CHECKS


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers. Touches nothing else: a database outage must not restart every web
    process, only take them out of rotation (that is /readyz)."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


class ReadinessView(HealthCheckView):
    checks = READINESS_CHECKS

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = await super().get(request, *args, **kwargs)
        # 503 is what load balancers and Kubernetes read as "not ready"; the library answers 500.
        if response.status_code == 500:
            response.status_code = 503
        return response

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        # The library's HTML page carries an inline stylesheet; text needs no CSP exception.
        return self.render_to_response_text(response_kwargs.get("status", 200))
