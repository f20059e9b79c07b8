from __future__ import annotations

from django.urls import path

from cases.requests.credits import views

urlpatterns = [
    path("requests/uptime-credits/", views.credit_list, name="credit_list"),
    path("requests/uptime-credits/new/", views.credit_create, name="credit_create"),
    path("requests/uptime-credits/<int:pk>/", views.credit_detail, name="credit_detail"),
]
