"""The Care work queue: what intake puts on the case admin. Changes go through the services.

`cases.admin.CaseAdmin` composes this base with what the other topics add to the case page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from cases.escalation.services import case_change_severity
from cases.intake import services
from cases.intake.search import case_search_admin
from cases.models import QUEUE_ORDER, Attachment, Case, CaseEvent, Reply, Status
from portal.access import acting_user, is_care_staff
from portal.admin_inlines import ReadOnlyInline
from portal.admin_services import ServiceAdminMixin
from portal.admin_versions import VersionedAdminMixin
from portal.service_errors import AlreadyDone
from sla.clocks.admin import MilestoneInline
from sla.clocks.queue import SlaRiskFilter

INTAKE_READONLY = (
    "number", "reseller", "account", "service", "opened_by", "priority", "subject", "users_affected",
    "frequency", "first_observed_at", "impacted_time_zone", "impacted_location",
    "impacted_working_hours", "what_went_wrong", "business_impact", "steps_to_reproduce",
    "non_genesys_changes", "dns", "user_information", "ani_cli", "equipment", "circuits",
    "campaign_name", "report_name", "local_contact_name", "local_contact_phone",
    "local_contact_email", "created_at",
)


class CaseAdminForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for a severity change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Case
        fields = ["status", "severity", "assignee"]


class ReplyInline(admin.StackedInline):
    model = Reply
    fields = ("visibility", "body", "author", "created_at")
    readonly_fields = ("author", "created_at")
    extra = 1
    can_delete = False
    verbose_name = _("reply or internal note")
    verbose_name_plural = _("replies and internal notes")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # sent messages are part of the record; new ones are added below


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("created_at", "kind", "actor", "old_value", "new_value", "detail", "due_at", "internal")
    readonly_fields = fields
    verbose_name_plural = _("history (read-only)")


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("download", "size", "uploaded_by", "sanitized_confirmed", "scan_findings", "created_at")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, attachment: Attachment) -> str:
        url = reverse("attachment_download", args=[attachment.case.number, attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


def _status_action(status: Status) -> Any:
    def action(modeladmin: IntakeCaseAdmin, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        for case in queryset:
            services.case_change_status(case=case, actor=acting_user(request), status=status)
        messages.success(request, _("Status set to %(status)s.") % {"status": status.label})

    action.__name__ = f"mark_{status.value}"
    return admin.action(description=_("Set status: %(status)s") % {"status": status.label})(action)


class IntakeCaseAdmin(VersionedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    form = CaseAdminForm
    list_display = ("number", "subject", "severity", "status", "next_deadline", "account", "reseller", "age",
                    "assignee")
    list_filter = (SlaRiskFilter, "status", "severity", "reseller", "service", "assignee")
    search_fields = ("number", "subject", "account__name", "reseller__name")
    list_select_related = ("account", "reseller", "assignee")
    # The unfiltered total is one more count of every case on every filtered page: not worth it.
    show_full_result_count = False
    readonly_fields = INTAKE_READONLY
    fieldsets = (
        (_("Work"), {"fields": ("status", "severity", "change_reason", "assignee")}),
        (_("Case"), {"fields": INTAKE_READONLY}),
    )
    inlines = [ReplyInline, MilestoneInline, AttachmentInline, CaseEventInline]
    actions = ["assign_to_me", *[_status_action(status) for status in Status]]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # cases are opened by Designated Contacts in the portal

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Case], search_term: str
    ) -> tuple[QuerySet[Case], bool]:
        return case_search_admin(queryset, search_term), False  # no many-valued join: no duplicates

    def get_ordering(self, request: HttpRequest) -> list[Any]:
        # The work queue's first question is "what falls due next?" (cases.escalation.admin puts
        # QUEUE_ORDER's first key, callers asking for Critical, in front of this.)
        _, due, *rest = QUEUE_ORDER
        return [F(due).asc(nulls_last=True), *rest]

    @admin.display(description=_("next deadline"), ordering="next_due_at")
    def next_deadline(self, case: Case) -> str:
        deadline = case.next_due_at
        if deadline is None:
            return "-"
        when = timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")
        if deadline <= timezone.now():
            return format_html('<strong class="sla-breached">{} ({})</strong>', when, _("breached"))
        return when

    @admin.display(description=_("age"), ordering="created_at")
    def age(self, case: Case) -> str:
        return timesince(case.created_at)

    @admin.action(description=_("Assign to me"))
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        me = acting_user(request)
        for case in queryset:
            services.case_assign(case=case, actor=me, assignee=me)
        messages.success(request, _("Assigned to you."))

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        # The form wrote its values onto obj; re-read the stored row and apply each change through
        # the services, which check rules and write history.
        stored = Case.objects.get(pk=obj.pk)
        try:
            if obj.severity != stored.severity:
                case_change_severity(
                    case=stored, actor=acting_user(request), severity=obj.severity,
                    reason=form.cleaned_data.get("change_reason", ""),
                )
            if obj.status != stored.status:
                services.case_change_status(case=stored, actor=acting_user(request), status=obj.status)
            if obj.assignee_id != stored.assignee_id:
                services.case_assign(case=stored, actor=acting_user(request), assignee=obj.assignee)
        except ValidationError as error:
            self.refuse(error)

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool) -> None:
        if formset.model is not Reply:
            formset.save()
            return
        # Admin's change message reads these; replies are written by the service, not the formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for reply_form in formset.forms:
            if reply_form.instance.pk or not reply_form.has_changed():
                continue
            body = reply_form.cleaned_data.get("body", "")
            if body.strip():
                try:
                    services.case_reply(
                        case=form.instance, author=acting_user(request), body=body,
                        internal=reply_form.cleaned_data.get("visibility") == Reply.Visibility.INTERNAL,
                    )
                except AlreadyDone as repeated:
                    messages.info(request, " ".join(repeated.messages))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_care_staff(request.user) and super().has_module_permission(request)
