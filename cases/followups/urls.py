from __future__ import annotations

from django.urls import path

from cases.followups import views

urlpatterns = [
    path("post-mortems/", views.postmortem_list, name="postmortem_list"),
    path("post-mortems/<str:number>/", views.postmortem_detail, name="postmortem_detail"),
    path(
        "post-mortems/<str:number>/incident-report/",
        views.incident_report_request,
        name="incident_report_request",
    ),
    path(
        "post-mortems/<str:number>/incident-report.pdf",
        views.incident_report_download,
        name="incident_report_download",
    ),
]
