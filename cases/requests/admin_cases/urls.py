from __future__ import annotations

from django.urls import path

from cases.requests.admin_cases import views

urlpatterns = [
    path("requests/admin/new/", views.admin_case_create, name="admin_case_create"),
]
