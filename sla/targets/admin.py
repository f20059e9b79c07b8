from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.access import acting_user
from portal.models import EndUserAccount
from sla.targets import services as policies
from sla.targets.calendars import calendar_for_account, validate_calendar
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


class SupportCalendarForm(forms.ModelForm):
    class Meta:
        model = SupportCalendar
        fields = ["name", "time_zone", "weekly_hours", "holiday_country", "holiday_subdivision"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        probe = SupportCalendar(
            time_zone=cleaned.get("time_zone") or "UTC", weekly_hours=cleaned.get("weekly_hours") or {}
        )
        try:
            validate_calendar(probe)
        except (ValueError, TypeError, AttributeError) as error:
            raise ValidationError({"weekly_hours": str(error)}) from None
        return cleaned


@admin.register(SupportCalendar)
class SupportCalendarAdmin(admin.ModelAdmin):
    form = SupportCalendarForm
    list_display = ("name", "time_zone", "holiday_country", "updated_at")
    search_fields = ("name",)
    inlines = [CustomHolidayInline]


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


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "scope", "support_package", "warn_at_share", "notify_reseller_on_breach",
                    "pause_restoration_when_awaiting_reseller")
    readonly_fields = ("code", "scope", "support_package")
    inlines = [SlaTargetInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

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
class SlaTargetChangeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "target", "old_value", "new_value", "changed_by")
    list_select_related = ("target__policy", "changed_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# The account page lives with the calendars: what an account's package, zone and calendar are
# decides its deadlines, and sla (not portal) knows how to give an account its calendar.
@admin.register(EndUserAccount)
class EndUserAccountAdmin(admin.ModelAdmin):
    list_display = ("name", "department", "reseller", "support_package", "time_zone")
    list_filter = ("support_package", "reseller", "services")
    search_fields = ("name", "department", "reseller__name")
    filter_horizontal = ("services",)
    list_select_related = ("reseller",)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        calendar_for_account(form.instance)  # every account has a support calendar
