from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cases import views as case_views
from cases import views_postmortem
from cases import views_escalation
from portal import views
from sla.maintenance import views as views_maintenance

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # Like every email, the reset link comes as subject, text and HTML.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            html_email_template_name="registration/password_reset_email_body.html"
        ),
        name="password_reset",
    ),
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
    path("post-mortems/", views_postmortem.postmortem_list, name="postmortem_list"),
    path("post-mortems/<str:number>/", views_postmortem.postmortem_detail, name="postmortem_detail"),
    path(
        "post-mortems/<str:number>/incident-report/",
        views_postmortem.incident_report_request,
        name="incident_report_request",
    ),
    path(
        "post-mortems/<str:number>/incident-report.pdf",
        views_postmortem.incident_report_download,
        name="incident_report_download",
    ),
    path("maintenance/", views_maintenance.maintenance_overview, name="maintenance_overview"),
    path("maintenance/reschedule/", views_maintenance.maintenance_reschedule, name="maintenance_reschedule"),
    path("maintenance/feed-token/", views_maintenance.maintenance_feed_token, name="maintenance_feed_token"),
    path("maintenance/feed/<str:token>.ics", views_maintenance.maintenance_feed, name="maintenance_feed"),
    # The "new request" hub and every kind of request (cases/requests/).
    path("", include("cases.requests.urls")),
    path("admin/", admin.site.urls),
]
