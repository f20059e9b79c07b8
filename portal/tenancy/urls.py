from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal.tenancy import views

urlpatterns = [
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
]
