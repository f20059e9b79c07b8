"""Uptime credit requests in admin: the measured uptime (the credit follows), status and comment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases.requests.credits import services
from cases.requests.credits.models import CreditEvent, UptimeCreditRequest
from cases.requests.worked_admin import WorkedRequestAdmin, WorkForm, event_inline
from portal.access import acting_user


class CreditWorkForm(WorkForm):
    status_choices = UptimeCreditRequest.Status.choices
    uptime = forms.DecimalField(
        label=_("measured uptime (%)"),
        max_digits=6,
        decimal_places=3,
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("The credit is computed: below 99.99 %: 10 %; below 99.0 %: 30 %."),
    )

    class Meta:
        model = UptimeCreditRequest
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["uptime"].initial = self.instance.measured_uptime

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "new_status" in data:
            uptime = data.get("uptime")
            errors = services.update_errors(
                request=self.instance,
                status=data["new_status"],
                measured_uptime=uptime if uptime is not None else self.instance.measured_uptime,
            )
            for field, messages_ in errors.items():
                self.add_error("new_status" if field == "status" else None, messages_)
        return data


@admin.register(UptimeCreditRequest)
class UptimeCreditRequestAdmin(WorkedRequestAdmin):
    form = CreditWorkForm
    list_display = (
        "__str__",
        "account",
        "service",
        "month",
        "status",
        "measured_uptime",
        "credit_percent",
        "reseller",
    )
    list_filter = ("status", "service", "reseller")
    search_fields = ("account__name", "reseller__name")
    readonly_fields = (
        "reseller",
        "account",
        "service",
        "month",
        "notes",
        "requested_by",
        "measured_uptime",
        "credit_percent",
        "created_at",
    )
    fields = ("uptime", "new_status", "comment", *readonly_fields)
    inlines = [event_inline(CreditEvent)]

    def save_model(
        self, request: HttpRequest, obj: UptimeCreditRequest, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        if data.get("uptime") is not None and data["uptime"] != obj.measured_uptime:
            self._save(
                request,
                lambda: services.credit_record_uptime(
                    request=obj, actor=acting_user(request), measured_uptime=data["uptime"]
                ),
            )
        self._save(
            request,
            lambda: services.credit_request_update(
                request=obj, actor=acting_user(request), status=data["new_status"], comment=data["comment"]
            ),
        )
