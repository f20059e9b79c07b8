from __future__ import annotations

from django.urls import path

from portal.observability import metrics

urlpatterns = [path("metrics", metrics.metrics, name="metrics")]
