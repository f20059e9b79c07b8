"""MAC/D routes and requests in admin: a Care-routed request is worked like a case; a CSM-routed
one is shown read-only."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases.requests.macd import services
from cases.requests.macd.models import MacdEvent, MacdLine, MacdRequest, MacdRoute
from cases.requests.worked_admin import WorkedRequestAdmin, WorkForm, event_inline
from portal.access import acting_user


@admin.register(MacdRoute)
class MacdRouteAdmin(admin.ModelAdmin):
    list_display = ("service", "route")
    list_editable = ("route",)


class MacdLineInline(admin.TabularInline):
    model = MacdLine
    fields = ("action", "item", "details", "wanted_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MacdWorkForm(WorkForm):
    status_choices = [
        c for c in MacdRequest.Status.choices if c[0] != MacdRequest.Status.SENT_TO_CSM
    ]

    class Meta:
        model = MacdRequest
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.route == MacdRoute.Route.CSM:
            cast(forms.ChoiceField, self.fields["new_status"]).choices = MacdRequest.Status.choices
            self.fields["new_status"].disabled = True
            self.fields["comment"].disabled = True
            self.fields["comment"].help_text = _("This request went to the account's CSM by email.")


@admin.register(MacdRequest)
class MacdRequestAdmin(WorkedRequestAdmin):
    form = MacdWorkForm
    list_display = ("__str__", "account", "service", "route", "status", "reseller", "created_at")
    list_filter = ("route", "status", "service", "reseller")
    search_fields = ("title", "account__name", "reseller__name")
    list_select_related = ("account", "service", "reseller")
    readonly_fields = (
        "reseller",
        "account",
        "service",
        "title",
        "route",
        "requested_by",
        "csm_recipient",
        "sent_at",
        "created_at",
    )
    fields = ("new_status", "comment", *readonly_fields)
    inlines = [MacdLineInline, event_inline(MacdEvent)]

    def save_model(self, request: HttpRequest, obj: MacdRequest, form: Any, change: bool) -> None:
        if obj.route != MacdRoute.Route.CARE:
            return
        self._save(
            request,
            lambda: services.macd_update(
                request=obj,
                actor=acting_user(request),
                status=form.cleaned_data["new_status"],
                comment=form.cleaned_data["comment"],
            ),
        )
