from __future__ import annotations

from django.urls import path

from sla.maintenance import views

urlpatterns = [
    path("maintenance/", views.maintenance_overview, name="maintenance_overview"),
    path("maintenance/reschedule/", views.maintenance_reschedule, name="maintenance_reschedule"),
    path("maintenance/feed-token/", views.maintenance_feed_token, name="maintenance_feed_token"),
    path("maintenance/feed/<str:token>.ics", views.maintenance_feed, name="maintenance_feed"),
]
