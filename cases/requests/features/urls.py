from __future__ import annotations

from django.urls import path

from cases.requests.features import views

urlpatterns = [
    path("requests/features/", views.feature_list, name="feature_list"),
    path("requests/features/new/", views.feature_create, name="feature_create"),
    path("requests/features/<int:pk>/", views.feature_detail, name="feature_detail"),
    path("requests/features/<int:pk>/vote/", views.feature_vote, name="feature_vote"),
]
