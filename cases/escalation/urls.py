from __future__ import annotations

from django.urls import path

from cases.escalation import views

urlpatterns = [
    path("cases/<str:number>/critical-call/", views.case_critical_call, name="case_critical_call"),
    path("cases/<str:number>/on-call/", views.case_on_call, name="case_on_call"),
    path(
        "cases/<str:number>/severity-request/", views.case_severity_request,
        name="case_severity_request",
    ),
]
