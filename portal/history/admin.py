"""The configuration history in admin: read-only, filterable by kind of object and by person."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from portal.history.models import ChangeRecord


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    list_display = ("created_at", "content_type", "object_repr", "field", "old_value", "new_value", "actor")
    list_filter = (("content_type", admin.RelatedOnlyFieldListFilter), ("actor", admin.RelatedOnlyFieldListFilter))
    search_fields = ("object_repr", "field", "old_value", "new_value", "actor__username")
    list_select_related = ("content_type", "actor")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
