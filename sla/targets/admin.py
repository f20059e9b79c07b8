from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import admin
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.access import acting_user
from portal.admin_inlines import ViewOnlyAdminMixin
from portal.audit.admin import HistoryRowsAdmin
from portal.history.forms import ServiceValidatedForm
from portal.models import EndUserAccount
from sla.targets import services as policies
from sla.targets.calendars import calendar_for_account
from sla.targets.models import (
    CustomHoliday,
    SlaPolicy,
    SlaTarget,
    SlaTargetChange,
    SupportCalendar,
    TargetUnit,
)


class CustomHolidayInline(admin.TabularInline):
    model = CustomHoliday
    extra = 1


class SupportCalendarForm(ServiceValidatedForm):
    class Meta:
        model = SupportCalendar
        fields = list(policies.CALENDAR_FIELDS)

    def service_validate(self, cleaned: dict[str, Any]) -> None:
        if self.instance.pk:
            changes = {field: cleaned[field] for field in self.changed_data if field in policies.CALENDAR_FIELDS}
            policies.calendar_validate(calendar=self.instance, changes=changes)
        else:
            policies.calendar_validate(calendar=SupportCalendar(), changes=cleaned_fields(cleaned))


def cleaned_fields(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {field: cleaned[field] for field in policies.CALENDAR_FIELDS if field in cleaned}


def holidays_of_formset(formset: BaseInlineFormSet) -> dict[date, str]:
    """The custom holidays as the inline leaves them: kept and new rows, minus those ticked to delete."""
    return {
        form.cleaned_data["date"]: form.cleaned_data.get("name", "")
        for form in formset.forms
        if form.cleaned_data and form.cleaned_data.get("date") and not form.cleaned_data.get("DELETE")
    }


@admin.register(SupportCalendar)
class SupportCalendarAdmin(SimpleHistoryAdmin):
    """Saves through calendar_create / calendar_update: every setting and holiday change is recorded."""

    form = SupportCalendarForm
    list_display = ("name", "time_zone", "holiday_country", "updated_at")
    search_fields = ("name",)
    inlines = [CustomHolidayInline]

    def save_model(self, request: HttpRequest, obj: SupportCalendar, form: Any, change: bool) -> None:
        if not change:
            policies.calendar_create(actor=acting_user(request), calendar=obj)
            return
        changes = {field: form.cleaned_data[field] for field in form.changed_data if field in policies.CALENDAR_FIELDS}
        stored = policies.calendar_update(calendar=obj, actor=acting_user(request), changes=changes)
        obj.updated_at = stored.updated_at

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool) -> None:
        if formset.model is not CustomHoliday:
            formset.save()
            return
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        policies.calendar_update(calendar=form.instance, actor=acting_user(request), changes={},
                                 holidays=holidays_of_formset(formset))


class SlaTargetForm(forms.ModelForm):
    class Meta:
        model = SlaTarget
        fields = ["severity", "kind", "unit", "amount"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("unit") not in (None, TargetUnit.NONE) and (cleaned.get("amount") or 0) < 1:
            self.add_error("amount", _("A target needs a positive amount (or choose 'no target')."))
        return cleaned


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    form = SlaTargetForm
    fields = ("severity", "kind", "unit", "amount")
    readonly_fields = ("severity", "kind")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SlaPolicyForm(ServiceValidatedForm):
    class Meta:
        model = SlaPolicy
        fields = list(policies.POLICY_FIELDS)

    def service_validate(self, cleaned: dict[str, Any]) -> None:
        if self.instance.pk:
            changes = {field: cleaned[field] for field in self.changed_data if field in policies.POLICY_FIELDS}
            policies.policy_validate(policy=self.instance, changes=changes)


@admin.register(SlaPolicy)
class SlaPolicyAdmin(SimpleHistoryAdmin):
    """Settings save through policy_update and targets through target_update; both are recorded."""

    form = SlaPolicyForm
    list_display = ("name", "scope", "support_package", "warn_at_share", "notify_reseller_on_breach",
                    "pause_restoration_when_awaiting_reseller")
    readonly_fields = ("code", "scope", "support_package")
    inlines = [SlaTargetInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: SlaPolicy, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        changes = {field: form.cleaned_data[field] for field in form.changed_data if field in policies.POLICY_FIELDS}
        policies.policy_update(policy=obj, actor=acting_user(request), changes=changes)

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool) -> None:
        if formset.model is not SlaTarget:
            formset.save()
            return
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for target_form in formset.forms:
            if target_form.instance.pk and target_form.has_changed():
                policies.target_update(
                    target=target_form.instance, actor=acting_user(request),
                    unit=target_form.cleaned_data["unit"], amount=target_form.cleaned_data["amount"],
                )


@admin.register(SlaTargetChange)
class SlaTargetChangeAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "target", "old_value", "new_value", "changed_by")
    list_select_related = ("target__policy", "changed_by")


# The account page lives with the calendars: what an account's package, zone and calendar are
# decides its deadlines, and sla (not portal) knows how to give an account its calendar.
ACCOUNT_SLA_FIELDS = ("support_package", "time_zone", "calendar")


class EndUserAccountForm(ServiceValidatedForm):
    class Meta:
        model = EndUserAccount
        fields = "__all__"

    def service_validate(self, cleaned: dict[str, Any]) -> None:
        if set(ACCOUNT_SLA_FIELDS) & set(self.changed_data):
            policies.account_sla_validate(support_package=cleaned.get("support_package", ""),
                                          time_zone=cleaned.get("time_zone", ""), calendar=cleaned.get("calendar"))


@admin.register(EndUserAccount)
class EndUserAccountAdmin(SimpleHistoryAdmin):
    form = EndUserAccountForm
    list_display = ("name", "department", "reseller", "support_package", "time_zone")
    list_filter = ("support_package", "reseller", "services")
    search_fields = ("name", "department", "reseller__name")
    filter_horizontal = ("services",)
    list_select_related = ("reseller",)

    def save_model(self, request: HttpRequest, obj: EndUserAccount, form: Any, change: bool) -> None:
        """Package, zone and calendar go through account_sla_update (and its history); the rest saves as usual."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        concrete = {field.name for field in EndUserAccount._meta.concrete_fields}
        others = [field for field in form.changed_data if field in concrete and field not in ACCOUNT_SLA_FIELDS]
        if others:
            obj.save(update_fields=others)
        if set(ACCOUNT_SLA_FIELDS) & set(form.changed_data):
            data = form.cleaned_data
            policies.account_sla_update(
                account=obj, actor=acting_user(request), support_package=data["support_package"],
                time_zone=data["time_zone"], calendar=data["calendar"],
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        calendar_for_account(form.instance)  # every account has a support calendar


# Targets and holidays are edited inline on their policy and calendar; their history is listed here.
admin.site.register(SlaTarget.history.model, HistoryRowsAdmin)
admin.site.register(CustomHoliday.history.model, HistoryRowsAdmin)
