from __future__ import annotations

from django.urls import include, path

from portal.tenancy import auth_views, views

urlpatterns = [
    # Like every email, the reset link comes as subject, text and HTML; requests are throttled.
    path("accounts/password_reset/", auth_views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("profile/", views.profile, name="profile"),
    path("contacts/", views.contacts, name="contacts"),
]
