"""Requests in admin: a case's kind (technical or admin) in the Care queue, asking the reseller for
remote access from the case page, and data privacy requests, which only the Data privacy team (or a
superuser) sees. Case is registered with the escalation admin extended by RequestsCaseAdminMixin
(imported at the end of cases/admin.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cases import requests as request_services
from cases.models import Case, DataPrivacyRequest, DataPrivacyRequestEvent
from portal.access import is_data_privacy_staff, privacy_requests_visible_to


class RemoteAccessFormMixin(forms.ModelForm):
    remote_access_reason = forms.CharField(
        label=_("Ask the reseller for remote access"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Say why. Saving emails the reseller's Designated Contacts, who approve or refuse "
                    "for this case only."),
    )


class RequestsCaseAdminMixin:
    REMOTE_ACCESS_FIELDS = ("remote_access_record", "remote_access_reason")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = kwargs.pop("form", None) or self.form  # type: ignore[attr-defined]
        combined = type(f"Requests{base.__name__}", (RemoteAccessFormMixin, base), {})
        return super().get_form(request, obj, change, form=combined, **kwargs)  # type: ignore[misc]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = list(super().get_fieldsets(request, obj))  # type: ignore[misc]
        if obj is None:
            return fieldsets
        return [*fieldsets[:-1], (_("Remote access"), {"fields": self.REMOTE_ACCESS_FIELDS}), fieldsets[-1]]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        return (*readonly, "kind", "remote_access_record")

    def get_list_display(self, request: HttpRequest) -> list[str]:
        columns = list(super().get_list_display(request))  # type: ignore[misc]
        at = columns.index("subject") + 1 if "subject" in columns else len(columns)
        columns[at:at] = ["kind"]
        return columns

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        return [*super().get_list_filter(request), "kind"]  # type: ignore[misc]

    @admin.display(description=_("remote access requests"))
    def remote_access_record(self, case: Case) -> str:
        rows = [
            (timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M"), item.get_status_display(),
             item.reason)
            for item in case.remote_access_requests.all()
        ]
        if not rows:
            return "-"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} {}: {}</li>", rows))

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        reason = (form.cleaned_data.get("remote_access_reason") or "").strip()
        if change and reason:
            try:
                request_services.remote_access_request_create(case=obj, actor=request.user, reason=reason)
            except ValidationError as error:
                messages.error(request, "; ".join(error.messages))
            else:
                messages.success(request, _("Remote access was asked for; the reseller's Designated "
                                            "Contacts were emailed."))


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
class DataPrivacyRequestAdmin(admin.ModelAdmin):
    """Only superusers and the "Data privacy" group: other Care staff do not even see the module."""

    form = DataPrivacyRequestAdminForm
    list_display = ("reference", "request_type", "status", "account", "reseller", "created_at", "handled_by")
    list_filter = ("status", "request_type", "reseller")
    search_fields = ("subject_identifier", "account__name", "reseller__name")
    list_select_related = ("account", "reseller", "handled_by")
    readonly_fields = ("reference", "reseller", "account", "requested_by", "request_type",
                       "subject_identifier", "details", "handled_by", "created_at", "updated_at")
    fields = (*readonly_fields, "status", "response")
    inlines = [DataPrivacyRequestEventInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[DataPrivacyRequest]:
        return privacy_requests_visible_to(request.user)

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

    def save_model(self, request: HttpRequest, obj: DataPrivacyRequest, form: Any, change: bool) -> None:
        try:
            request_services.privacy_request_update(
                privacy_request=obj, actor=request.user, status=obj.status, response=obj.response
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
