"""Care's queues of post-mortems and incident reports, by due date. Every change goes through
cases.followups.services, so rules are checked, history is kept and the reseller is emailed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet, TextChoices
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cases.followups import services as postmortems
from cases.models import Case, CaseEvent, IncidentReport, PostMortem
from portal.access import acting_user, is_care_staff
from portal.admin_services import ServiceAdminMixin
from portal.admin_versions import VersionedAdminMixin


@admin.action(description=_("Record service resolution (end user back to business as usual, now)"))
def record_service_resolution(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Case]) -> None:
    for case in queryset:
        try:
            postmortems.case_record_service_resolution(case=case, actor=acting_user(request))
        except ValidationError as error:
            messages.error(request, f"{case.number}: {'; '.join(error.messages)}")
        else:
            messages.success(request, _("%(number)s: service resolution recorded.") % {"number": case.number})


class Decision(TextChoices):
    NOTHING = "", _("Keep as is")
    SCHEDULE = "schedule", _("Schedule or reschedule the meeting and send the invitation")
    CANCEL = "cancel", _("Cancel the meeting (sends a cancellation)")
    COMPLETE = "complete", _("Record the meeting as held, with its minutes")
    NOT_APPLICABLE = "not_applicable", _("Mark not applicable, with the reason the reseller sees")


class PostMortemAdminForm(forms.ModelForm):
    decision = forms.ChoiceField(label=_("What to do"), choices=Decision.choices, required=False)

    class Meta:
        model = PostMortem
        fields = ["meeting_at", "duration_minutes", "location", "attendees", "minutes", "root_cause_analysis",
                  "not_applicable_reason"]

    def clean(self) -> dict[str, Any]:
        # The rules are the services' own (cases.followups.services.*_errors): shown here, on the
        # form with what staff typed, before anything is saved.
        super().clean()
        data = self.cleaned_data
        stored = PostMortem.objects.get(pk=self.instance.pk)
        decision = data.get("decision")
        errors: dict[str, list[str]] = {}
        if decision == Decision.SCHEDULE:
            errors = postmortems.schedule_errors(
                post_mortem=stored, meeting_at=data.get("meeting_at"),
                duration_minutes=data.get("duration_minutes"), attendees=data.get("attendees", ""),
            )
        elif decision == Decision.CANCEL:
            errors = postmortems.cancel_errors(post_mortem=stored)
        elif decision == Decision.COMPLETE:
            errors = postmortems.completion_errors(
                post_mortem=stored, minutes=data.get("minutes", ""),
                root_cause_analysis=data.get("root_cause_analysis", ""),
            )
        elif decision == Decision.NOT_APPLICABLE:
            errors = postmortems.not_applicable_errors(
                post_mortem=stored, reason=data.get("not_applicable_reason", "")
            )
        for field, messages_ in errors.items():
            for message in messages_:
                self.add_error("decision" if field == NON_FIELD_ERRORS else field, message)
        return data


class CareOnlyAdmin(VersionedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    # Written by the follow-up sweep, not by anyone editing: no reason to refuse a save.
    version_ignored_fields = ("warned_at", "overdue_alerted_at", "next_alert_at")

    def timeline_of(self, obj: Any) -> Any:
        case = obj.case if isinstance(obj, PostMortem) else obj.post_mortem.case
        return case.events.filter(kind__in=(CaseEvent.Kind.POSTMORTEM, CaseEvent.Kind.INCIDENT_REPORT))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # they follow from the case, not created by hand

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_care_staff(request.user) and super().has_module_permission(request)

    @admin.display(description=_("case"), ordering="case__number")
    def case_link(self, obj: Any) -> str:
        case = obj.case if isinstance(obj, PostMortem) else obj.post_mortem.case
        url = reverse("admin:cases_case_change", args=[case.pk])
        return format_html('<a href="{}">{} {}</a>', url, case.number, case.subject)


@admin.register(PostMortem)
class PostMortemAdmin(CareOnlyAdmin):
    form = PostMortemAdminForm
    list_display = ("case_link", "severity", "status", "due_at", "meeting_at", "assignee")
    list_filter = ("status", "severity")
    list_select_related = ("case__assignee",)
    search_fields = ("case__number", "case__subject")
    ordering = ("due_at",)
    readonly_fields = ("case_link", "severity", "status", "service_resolved_at", "due_at", "warned_at",
                       "overdue_alerted_at", "ics_sequence", "completed_at")
    fieldsets = (
        (None, {"fields": ("case_link", "severity", "status", "service_resolved_at", "due_at", "decision")}),
        (_("Meeting"), {"fields": ("meeting_at", "duration_minutes", "location", "attendees", "ics_sequence")}),
        (_("After the meeting"), {"fields": ("minutes", "root_cause_analysis", "completed_at")}),
        (_("Not applicable"), {"fields": ("not_applicable_reason",)}),
        (_("Alerts"), {"fields": ("warned_at", "overdue_alerted_at")}),
    )

    @admin.display(description=_("assigned to"), ordering="case__assignee")
    def assignee(self, post_mortem: PostMortem) -> str:
        return str(post_mortem.case.assignee or "-")

    def save_model(self, request: HttpRequest, obj: PostMortem, form: Any, change: bool) -> None:
        # The form wrote its values onto obj; the stored row is changed only by the services.
        stored = PostMortem.objects.get(pk=obj.pk)
        decision = form.cleaned_data.get("decision")
        try:
            if decision == Decision.SCHEDULE:
                postmortems.postmortem_schedule(
                    post_mortem=stored, actor=acting_user(request), meeting_at=obj.meeting_at,
                    duration_minutes=obj.duration_minutes, location=obj.location, attendees=obj.attendees,
                )
            elif decision == Decision.CANCEL:
                postmortems.postmortem_cancel(post_mortem=stored, actor=acting_user(request))
            elif decision == Decision.COMPLETE:
                postmortems.postmortem_complete(
                    post_mortem=stored, actor=acting_user(request), minutes=obj.minutes,
                    root_cause_analysis=obj.root_cause_analysis,
                )
            elif decision == Decision.NOT_APPLICABLE:
                postmortems.postmortem_mark_not_applicable(
                    post_mortem=stored, actor=acting_user(request), reason=obj.not_applicable_reason,
                )
            elif (obj.minutes, obj.root_cause_analysis) != (stored.minutes, stored.root_cause_analysis):
                postmortems.postmortem_save_notes(
                    post_mortem=stored, actor=acting_user(request), minutes=obj.minutes,
                    root_cause_analysis=obj.root_cause_analysis,
                )
        except ValidationError as error:
            self.refuse(error)


class IncidentReportAdminForm(forms.ModelForm):
    publish = forms.BooleanField(
        label=_("Publish to the reseller"), required=False,
        help_text=_("The reseller's Designated Contacts are emailed; a published report cannot be changed."),
    )

    class Meta:
        model = IncidentReport
        fields = list(postmortems.REPORT_SECTIONS)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("publish"):
            errors = postmortems.publication_errors(**{f: data.get(f, "") for f in postmortems.REPORT_SECTIONS})
            if errors:
                raise ValidationError(errors)
        return data


@admin.register(IncidentReport)
class IncidentReportAdmin(CareOnlyAdmin):
    form = IncidentReportAdminForm
    list_display = ("case_link", "status", "due_at", "requested_at", "published_at")
    list_filter = ("status",)
    list_select_related = ("post_mortem__case",)
    search_fields = ("post_mortem__case__number",)
    ordering = ("due_at",)
    base_readonly = ("case_link", "status", "requested_by", "requested_at", "coverage_request", "due_at",
                     "published_at", "published_by")

    def get_readonly_fields(self, request: HttpRequest, obj: IncidentReport | None = None) -> Any:
        if obj is not None and obj.status == IncidentReport.Status.PUBLISHED:
            return (*self.base_readonly, *postmortems.REPORT_SECTIONS)
        return self.base_readonly

    def get_fields(self, request: HttpRequest, obj: IncidentReport | None = None) -> Any:
        fields = [*self.base_readonly, *postmortems.REPORT_SECTIONS]
        if obj is None or obj.status != IncidentReport.Status.PUBLISHED:
            fields.append("publish")
        return fields

    def save_model(self, request: HttpRequest, obj: IncidentReport, form: Any, change: bool) -> None:
        stored = IncidentReport.objects.get(pk=obj.pk)
        if stored.status == IncidentReport.Status.PUBLISHED:
            return
        sections = {field: getattr(obj, field) for field in postmortems.REPORT_SECTIONS}
        try:
            if form.cleaned_data.get("publish"):
                postmortems.incident_report_publish(report=stored, actor=acting_user(request), **sections)
            else:
                postmortems.incident_report_save_draft(report=stored, actor=acting_user(request), **sections)
        except ValidationError as error:
            self.refuse(error)
