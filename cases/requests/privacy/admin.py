"""Data privacy requests in admin: only the Data privacy team (or a superuser) sees them; every
change goes through the service, which keeps the history and emails the reseller."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases.requests.privacy import services
from cases.requests.privacy.models import DataPrivacyRequest, DataPrivacyRequestEvent
from portal.access import acting_user, is_data_privacy_staff
from portal.admin_services import ServiceAdminMixin
from portal.admin_versions import VersionedAdminMixin


class DataPrivacyRequestEventInline(admin.TabularInline):
    model = DataPrivacyRequestEvent
    fields = ("created_at", "actor", "old_status", "new_status", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("history (read-only)")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_data_privacy_staff(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DataPrivacyRequestAdminForm(forms.ModelForm):
    class Meta:
        model = DataPrivacyRequest
        fields = ["status", "response"]


@admin.register(DataPrivacyRequest)
class DataPrivacyRequestAdmin(VersionedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Only superusers and the Privacy officer role: other Care staff do not even see the module."""

    form = DataPrivacyRequestAdminForm
    list_display = (
        "reference",
        "request_type",
        "status",
        "account",
        "reseller",
        "created_at",
        "handled_by",
    )
    list_filter = ("status", "request_type", "reseller")
    search_fields = ("subject_identifier", "account__name", "reseller__name")
    list_select_related = ("account", "reseller", "handled_by")
    readonly_fields = (
        "reference",
        "reseller",
        "account",
        "requested_by",
        "request_type",
        "subject_identifier",
        "details",
        "handled_by",
        "created_at",
        "updated_at",
    )
    fields = (*readonly_fields, "status", "response")
    inlines = [DataPrivacyRequestEventInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[DataPrivacyRequest]:
        return DataPrivacyRequest.objects.visible_to(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_data_privacy_staff(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_data_privacy_staff(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_data_privacy_staff(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # resellers send them from the portal

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("reference"), ordering="pk")
    def reference(self, obj: DataPrivacyRequest) -> str:
        return obj.reference

    def save_model(
        self, request: HttpRequest, obj: DataPrivacyRequest, form: Any, change: bool
    ) -> None:
        try:
            services.privacy_request_update(
                privacy_request=obj, actor=acting_user(request), status=obj.status, response=obj.response
            )
        except ValidationError as error:
            self.refuse(error)
