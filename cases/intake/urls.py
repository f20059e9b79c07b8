from __future__ import annotations

from django.urls import path

from cases.intake import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<str:number>/", views.case_detail, name="case_detail"),
    path("cases/<str:number>/reply/", views.case_reply, name="case_reply"),
    path("cases/<str:number>/attachments/", views.case_upload, name="case_upload"),
    path(
        "cases/<str:number>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
