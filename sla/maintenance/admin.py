"""Admin for maintenance windows: Table 2 rules (editable), reschedule decisions and unplanned
maintenance notices. Writes that email anyone go through sla.maintenance.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.access import acting_user
from portal.admin_inlines import ReadOnlyInline
from portal.admin_services import ServiceAdminMixin
from portal.admin_versions import VersionedAdminMixin
from portal.history.forms import ServiceValidatedForm
from sla.maintenance import rules
from sla.maintenance import services as maintenance
from sla.maintenance.models import (
    MaintenanceFeed,
    MaintenanceRule,
    RescheduleRequest,
    UnplannedMaintenance,
    UnplannedNoticeDelivery,
)


class MaintenanceRuleForm(ServiceValidatedForm):
    class Meta:
        model = MaintenanceRule
        fields = list(rules.RULE_FIELDS)

    def service_validate(self, cleaned: dict[str, Any]) -> None:
        if self.instance.pk:
            changes = {name: cleaned[name] for name in self.changed_data if name in rules.RULE_FIELDS}
            rules.maintenance_rule_validate(rule=self.instance, changes=changes)
        else:
            values = {name: cleaned[name] for name in rules.RULE_FIELDS if name in cleaned}
            rules.maintenance_rule_validate(rule=MaintenanceRule(), changes=values)


@admin.register(MaintenanceRule)
class MaintenanceRuleAdmin(SimpleHistoryAdmin):
    """Saves through maintenance_rule_create / maintenance_rule_update, which record each setting."""

    form = MaintenanceRuleForm
    list_display = ("__str__", "service", "start_time", "end_time", "time_zone", "in_end_user_time", "is_active")
    list_filter = ("service", "in_end_user_time", "is_active")
    fields = ("service", "weekdays", "start_time", "end_time", "time_zone", "in_end_user_time", "note", "is_active")

    def save_model(self, request: HttpRequest, obj: MaintenanceRule, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in rules.RULE_FIELDS}
            stored = rules.maintenance_rule_update(rule=obj, actor=acting_user(request), changes=changes)
        else:
            values = {name: data[name] for name in rules.RULE_FIELDS if name in data}
            stored = rules.maintenance_rule_create(actor=acting_user(request), values=values)
        obj.pk, obj.weekdays = stored.pk, stored.weekdays


class RescheduleDecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("decision"), required=False,
        choices=[("", "---------"), ("accept", _("Accept")), ("decline", _("Decline"))],
    )

    class Meta:
        model = RescheduleRequest
        fields = ["decision_note"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.instance.status == RescheduleRequest.Status.PENDING and not cleaned.get("decision"):
            raise ValidationError({"decision": _("Accept or decline the request.")})
        return cleaned


@admin.register(RescheduleRequest)
class RescheduleRequestAdmin(VersionedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    form = RescheduleDecisionForm
    list_display = ("account", "rule", "occurrence_start", "proposed_start", "status", "created_at")
    list_filter = ("status",)
    readonly_fields = ("account", "rule", "occurrence_start", "occurrence_end", "proposed_start", "proposed_end",
                       "reason", "requested_by", "created_at", "status", "decided_by", "decided_at")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is not None and obj.status == RescheduleRequest.Status.PENDING:
            return (*self.readonly_fields, "decision", "decision_note")
        return (*self.readonly_fields, "decision_note")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is not None and obj.status != RescheduleRequest.Status.PENDING:
            return (*self.readonly_fields, "decision_note")
        return self.readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # Designated Contacts ask in the portal

    def save_model(self, request: HttpRequest, obj: RescheduleRequest, form: Any, change: bool) -> None:
        decision = form.cleaned_data.get("decision")
        if not decision:
            return
        try:
            maintenance.reschedule_request_decide(request=obj, actor=acting_user(request), accept=decision == "accept",
                                                  note=form.cleaned_data.get("decision_note", ""))
        except ValidationError as error:
            self.refuse(error)
        obj.refresh_from_db()


class UnplannedNoticeDeliveryInline(ReadOnlyInline):
    model = UnplannedNoticeDelivery
    fields = ("reseller", "contact", "email", "created_at", "sent_at")
    readonly_fields = fields
    verbose_name_plural = _("emails sent")


class UnplannedMaintenanceForm(forms.ModelForm):
    class Meta:
        model = UnplannedMaintenance
        fields = ["services", "starts_at", "ends_at", "description"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors:  # so every field, the required datetimes too, is in cleaned
            try:
                maintenance._validate_notice(  # noqa: SLF001 - the service's own rules, shown on the form
                    services=cleaned.get("services") or [], starts_at=cleaned["starts_at"],
                    ends_at=cleaned["ends_at"], description=cleaned.get("description", ""),
                )
            except ValidationError as error:
                raise ValidationError(error.message_dict) from None
        return cleaned


@admin.register(UnplannedMaintenance)
class UnplannedMaintenanceAdmin(admin.ModelAdmin):
    """Saving announces: every Designated Contact of every affected reseller is emailed once."""

    form = UnplannedMaintenanceForm
    list_display = ("starts_at", "ends_at", "description", "created_by", "created_at")
    filter_horizontal = ("services",)
    inlines = [UnplannedNoticeDeliveryInline]

    def save_model(self, request: HttpRequest, obj: UnplannedMaintenance, form: Any, change: bool) -> None:
        data = form.cleaned_data
        fields = {"services": data["services"], "starts_at": data["starts_at"], "ends_at": data["ends_at"],
                  "description": data["description"]}
        if change:
            notice = maintenance.unplanned_maintenance_update(notice=obj, actor=acting_user(request), **fields)
        else:
            notice = maintenance.unplanned_maintenance_announce(actor=acting_user(request), **fields)
        obj.pk, obj.created_by, obj.created_at = notice.pk, notice.created_by, notice.created_at

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:  # the read-only deliveries; the service already set the services
            self.save_formset(request, form, formset, change=change)


@admin.register(MaintenanceFeed)
class MaintenanceFeedAdmin(admin.ModelAdmin):
    list_display = ("reseller", "has_token", "token_created_by", "updated_at", "updated_by")
    readonly_fields = ("reseller", "token_created_by", "updated_at", "updated_by")
    fields = readonly_fields

    @admin.display(boolean=True, description=_("subscribable"))
    def has_token(self, obj: MaintenanceFeed) -> bool:
        return bool(obj.token)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
