from __future__ import annotations

from django.urls import path

from cases.requests.privacy import views

urlpatterns = [
    path("requests/privacy/", views.privacy_request_list, name="privacy_request_list"),
    path("requests/privacy/new/", views.privacy_request_create, name="privacy_request_create"),
]
