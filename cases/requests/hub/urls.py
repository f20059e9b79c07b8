from __future__ import annotations

from django.urls import path

from cases.requests.hub import views

urlpatterns = [
    path("requests/new/", views.request_hub, name="request_hub"),
    path("requests/sow-change/", views.sow_change, name="sow_change"),
]
