from __future__ import annotations

from django.urls import path

from portal.health import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.ReadinessView.as_view(), name="readyz"),
]
