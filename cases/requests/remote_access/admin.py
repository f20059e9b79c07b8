"""Asking the reseller for remote access from the case page in admin.

This module registers nothing: RemoteAccessCaseAdminMixin is meant to be mixed into the one
CaseAdmin composed from the topics' mixins (for now cases/admin_escalation.py does that).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.requests.remote_access import services
from portal.access import acting_user


class RemoteAccessFormMixin(forms.ModelForm):
    remote_access_reason = forms.CharField(
        label=_("Ask the reseller for remote access"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Say why. Saving emails the reseller's Designated Contacts, who approve or "
                    "refuse for this case only."),
    )


class RemoteAccessCaseAdminMixin:
    """Adds to the case page: the remote access requests so far (read-only), and a reason field
    that, when filled in, asks the reseller for remote access on save."""

    REMOTE_ACCESS_FIELDS = ("remote_access_record", "remote_access_reason")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        base = kwargs.pop("form", None) or self.form  # type: ignore[attr-defined]
        combined = type(f"RemoteAccess{base.__name__}", (RemoteAccessFormMixin, base), {})
        return super().get_form(  # type: ignore[misc]  # a mixin: ModelAdmin comes later in the MRO
            request, obj, change, form=combined, **kwargs
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = list(super().get_fieldsets(request, obj))  # type: ignore[misc]
        if obj is None:
            return fieldsets
        remote_access = (_("Remote access"), {"fields": self.REMOTE_ACCESS_FIELDS})
        return [*fieldsets[:-1], remote_access, fieldsets[-1]]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        return (*readonly, "remote_access_record")

    @admin.display(description=_("remote access requests"))
    def remote_access_record(self, case: Case) -> str:
        rows = [
            (timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M"),
             item.get_status_display(), item.reason)
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
                services.remote_access_request_create(
                    case=obj, actor=acting_user(request), reason=reason
                )
            except ValidationError as error:
                self.refuse(error)  # type: ignore[attr-defined]  # ServiceAdminMixin, via the composed CaseAdmin
            else:
                messages.success(request, _("Remote access was asked for; the reseller's "
                                            "Designated Contacts were emailed."))
