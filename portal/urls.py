from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from cases import views as case_views
from cases import views_escalation
from portal import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("profile/", views.profile, name="profile"),
    path("contacts/", views.contacts, name="contacts"),
    path("cases/", case_views.case_list, name="case_list"),
    path("cases/new/", case_views.case_create, name="case_create"),
    path("cases/<str:number>/", case_views.case_detail, name="case_detail"),
    path("cases/<str:number>/reply/", case_views.case_reply, name="case_reply"),
    path("cases/<str:number>/attachments/", case_views.case_upload, name="case_upload"),
    path("cases/<str:number>/critical-call/", views_escalation.case_critical_call, name="case_critical_call"),
    path("cases/<str:number>/on-call/", views_escalation.case_on_call, name="case_on_call"),
    path(
        "cases/<str:number>/severity-request/", views_escalation.case_severity_request,
        name="case_severity_request",
    ),
    path(
        "cases/<str:number>/attachments/<int:attachment_id>/",
        case_views.attachment_download,
        name="attachment_download",
    ),
    path("admin/", admin.site.urls),
]
