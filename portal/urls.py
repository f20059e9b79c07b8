"""The root URLs: one include per topic, each of which names its own routes."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from cases import views_requests, views_requests_b  # moves into cases.requests.urls

urlpatterns = [
    path("", include("portal.tenancy.urls")),
    path("", include("cases.intake.urls")),
    path("", include("cases.escalation.urls")),
    path("", include("cases.followups.urls")),
    path("", include("sla.maintenance.urls")),
    # MAC/D, feature and uptime credit requests
    path("requests/macd/", views_requests_b.macd_list, name="macd_list"),
    path("requests/macd/new/", views_requests_b.macd_create, name="macd_create"),
    path("requests/macd/<int:pk>/", views_requests_b.macd_detail, name="macd_detail"),
    path("requests/macd/<int:pk>/comment/", views_requests_b.macd_comment, name="macd_comment"),
    path("requests/features/", views_requests_b.feature_list, name="feature_list"),
    path("requests/features/new/", views_requests_b.feature_create, name="feature_create"),
    path("requests/features/<int:pk>/", views_requests_b.feature_detail, name="feature_detail"),
    path("requests/features/<int:pk>/vote/", views_requests_b.feature_vote, name="feature_vote"),
    path("requests/uptime-credits/", views_requests_b.credit_list, name="credit_list"),
    path("requests/uptime-credits/new/", views_requests_b.credit_create, name="credit_create"),
    path("requests/uptime-credits/<int:pk>/", views_requests_b.credit_detail, name="credit_detail"),
    # The "new request" hub and the requests that are not technical cases.
    path("requests/new/", views_requests.request_hub, name="request_hub"),
    path("requests/sow-change/", views_requests.sow_change, name="sow_change"),
    path("requests/admin/new/", views_requests.admin_case_create, name="admin_case_create"),
    path("requests/privacy/", views_requests.privacy_request_list, name="privacy_request_list"),
    path("requests/privacy/new/", views_requests.privacy_request_create, name="privacy_request_create"),
    path("cases/<str:number>/remote-access/", views_requests.case_remote_access, name="case_remote_access"),
    path("admin/", admin.site.urls),
]
