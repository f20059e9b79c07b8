from __future__ import annotations

from django.urls import path

from cases.requests.remote_access import views

urlpatterns = [
    path(
        "cases/<str:number>/remote-access/", views.case_remote_access, name="case_remote_access"
    ),
]
