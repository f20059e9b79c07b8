"""The root URLs: one include per topic, each of which names its own routes."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("portal.tenancy.urls")),
    path("", include("portal.mfa.urls")),
    path("", include("cases.intake.urls")),
    path("", include("cases.escalation.urls")),
    path("", include("cases.followups.urls")),
    path("", include("cases.requests.urls")),
    path("", include("sla.maintenance.urls")),
    path("admin/", admin.site.urls),
    path("", include("portal.health.urls")),  # /healthz, /readyz
    path("", include("portal.observability.urls")),  # /metrics
]
