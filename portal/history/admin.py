"""The configuration history in admin: read-only, filterable by kind of object and by person."""

from __future__ import annotations

from django.contrib import admin

from portal.admin_inlines import ViewOnlyAdminMixin
from portal.history.models import ChangeRecord


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "content_type", "object_repr", "field", "old_value", "new_value", "actor")
    list_filter = (("content_type", admin.RelatedOnlyFieldListFilter), ("actor", admin.RelatedOnlyFieldListFilter))
    search_fields = ("object_repr", "field", "old_value", "new_value", "actor__username")
    list_select_related = ("content_type", "actor")
    date_hierarchy = "created_at"

