from __future__ import annotations

from django.urls import path

from portal.mfa import views

urlpatterns = [
    path("accounts/mfa/", views.mfa_verify, name="mfa_verify"),
    path("accounts/mfa/enrol/", views.mfa_enrol, name="mfa_enrol"),
    path("accounts/mfa/disable/", views.mfa_disable, name="mfa_disable"),
]
