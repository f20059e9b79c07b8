from __future__ import annotations

from django.urls import path

from cases.requests.macd import views

urlpatterns = [
    path("requests/macd/", views.macd_list, name="macd_list"),
    path("requests/macd/new/", views.macd_create, name="macd_create"),
    path("requests/macd/<int:pk>/", views.macd_detail, name="macd_detail"),
    path("requests/macd/<int:pk>/comment/", views.macd_comment, name="macd_comment"),
]
