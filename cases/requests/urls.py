"""Every request kind's routes, included at the site root by portal/urls.py. Each kind keeps its
paths and URL names (no namespaces), so reverse("macd_list") works as before."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("cases.requests.macd.urls")),
    path("", include("cases.requests.features.urls")),
    path("", include("cases.requests.credits.urls")),
    path("", include("cases.requests.hub.urls")),
    path("", include("cases.requests.admin_cases.urls")),
    path("", include("cases.requests.privacy.urls")),
    path("", include("cases.requests.remote_access.urls")),
]
