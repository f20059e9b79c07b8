"""Escalation in the Care work queue: the call record for a raise, the on-call contact, the
"calling for Critical" flag at the top of the queue, priority next to severity, and Care's decisions
on the reseller's severity requests. `cases.admin.CaseAdmin` composes EscalationCaseAdminMixin,
whose hooks run first and then call the intake admin's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cases.escalation import services as escalation
from cases.escalation.forms import OnCallChoiceField
from cases.models import OPEN_STATUSES, Case, SeverityRequest
from portal.access import acting_user, is_care_staff
from portal.models import Membership

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Form field for each key of escalation.severity_raise_errors.
RAISE_ERROR_FIELDS = {
    "caller": "call_caller", "called_at": "call_at", "reason": "change_reason",
    "on_call_contact": "on_call_contact",
}


class EscalationFormMixin(forms.ModelForm):
    """Declared fields and checks added to CaseAdmin's form (combined in get_form)."""

    on_call_contact = OnCallChoiceField(
        label=_("Designated Contact reachable at all times"), queryset=Membership.objects.none(),
        required=False, help_text=_("Required for Critical: an approved contact of the reseller with a 24x7 phone."),
    )
    call_caller = forms.CharField(
        label=_("Who called"), required=False, max_length=200,
        help_text=_("Required to raise severity, with when they called and the reason."),
    )
    call_at = forms.DateTimeField(
        label=_("When they called"), required=False, help_text=_("YYYY-MM-DD HH:MM, your time zone."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "on_call_contact" in self.fields:
            on_call = cast(OnCallChoiceField, self.fields["on_call_contact"])
            on_call.queryset = escalation.on_call_candidates(self.instance)
            self.initial.setdefault("on_call_contact", self.instance.on_call_contact_id)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        case = self.instance  # still the stored values: the form writes onto it after clean()
        severity = cleaned.get("severity")
        if case.pk and severity is not None and severity < case.severity:
            errors = escalation.severity_raise_errors(
                case=case, severity=severity, caller=cleaned.get("call_caller") or "",
                called_at=cleaned.get("call_at"), reason=cleaned.get("change_reason") or "",
                on_call_contact=cleaned.get("on_call_contact") or case.on_call_contact,
            )
            for key, messages_ in errors.items():
                for message in messages_:
                    self.add_error(RAISE_ERROR_FIELDS[key], message)
        return cleaned


class CallingForCriticalFilter(admin.SimpleListFilter):
    title = _("calling to raise to Critical")
    parameter_name = "calling"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("yes", _("Flagged, open")), ("no", _("Not flagged"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        if self.value() == "yes":
            return queryset.filter(calling_for_critical_at__isnull=False, status__in=OPEN_STATUSES)
        if self.value() == "no":
            return queryset.exclude(calling_for_critical_at__isnull=False, status__in=OPEN_STATUSES)
        return queryset


class PriorityVsSeverityFilter(admin.SimpleListFilter):
    title = _("priority vs severity")
    parameter_name = "priority_vs_severity"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("differ", _("Priority differs from severity")), ("same", _("Same"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        if self.value() == "differ":
            return queryset.exclude(priority=F("severity"))
        if self.value() == "same":
            return queryset.filter(priority=F("severity"))
        return queryset


class EscalationCaseAdminMixin:
    """Everything escalation adds to CaseAdmin; each hook extends what CaseAdmin already returns."""

    ESCALATION_FIELDS = (
        "calling_for_critical", "on_call_contact", "call_caller", "call_at", "escalation_record",
    )

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = kwargs.pop("form", None) or self.form  # type: ignore[attr-defined]
        combined = type(f"Escalation{base.__name__}", (EscalationFormMixin, base), {})
        return super().get_form(request, obj, change, form=combined, **kwargs)  # type: ignore[misc]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = list(super().get_fieldsets(request, obj))  # type: ignore[misc]
        if obj is None:
            return fieldsets
        return [fieldsets[0], (_("Escalation"), {"fields": self.ESCALATION_FIELDS}), *fieldsets[1:]]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        return (*readonly, "calling_for_critical", "escalation_record")

    def get_list_display(self, request: HttpRequest) -> list[str]:
        columns = list(super().get_list_display(request))  # type: ignore[misc]
        at = columns.index("severity") + 1 if "severity" in columns else len(columns)
        columns[at:at] = ["priority"]
        at = columns.index("number") + 1 if "number" in columns else 0
        columns[at:at] = ["critical_call_marker"]
        return columns

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        filters = super().get_list_filter(request)  # type: ignore[misc]
        return [CallingForCriticalFilter, PriorityVsSeverityFilter, *filters]

    def get_ordering(self, request: HttpRequest) -> list[Any]:
        # A contact on the phone asking for Critical comes before the nearest deadline: the stored
        # Case.calling_first, so the queue's index (case_queue_order) gives the whole order.
        return ["calling_first", *super().get_ordering(request)]  # type: ignore[misc]

    @admin.display(description=_("calling for Critical"), ordering="calling_first")
    def critical_call_marker(self, case: Case) -> str:
        if case.calling_for_critical_at and case.is_open:
            when = timezone.localtime(case.calling_for_critical_at).strftime("%H:%M")
            return format_html('<strong class="calling-for-critical">&#9742; {} {}</strong>', _("Calling"), when)
        return ""

    @admin.display(description=_("contact is calling to raise to Critical"))
    def calling_for_critical(self, case: Case) -> str:
        if case.calling_for_critical_at is None:
            return "-"
        return timezone.localtime(case.calling_for_critical_at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("calls and severity requests"))
    def escalation_record(self, case: Case) -> str:
        rows = [
            (timezone.localtime(call.called_at).strftime("%Y-%m-%d %H:%M"),
             f"{call.get_from_severity_display()} -> {call.get_to_severity_display()}: {call.caller}",
             call.reason)
            for call in case.severity_calls.all()
        ] + [
            (timezone.localtime(request.created_at).strftime("%Y-%m-%d %H:%M"),
             f"{request.get_from_severity_display()} -> {request.get_requested_severity_display()}"
             f" ({request.get_status_display()})", request.reason)
            for request in case.severity_requests.all()
        ]
        if not rows:
            return "-"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} {}: {}</li>", rows))

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        # Escalation first (the on-call contact, then a raise with its call record); CaseAdmin then
        # applies whatever else changed. A lowered severity goes through CaseAdmin unchanged.
        stored = Case.objects.get(pk=obj.pk)
        data = form.cleaned_data
        try:
            on_call = data.get("on_call_contact")
            if on_call is not None and on_call.pk != stored.on_call_contact_id:
                stored = escalation.case_name_on_call(case=stored, actor=acting_user(request), membership=on_call)
            if obj.severity < stored.severity:
                escalation.severity_raise(
                    case=stored, actor=acting_user(request), severity=obj.severity,
                    caller=data.get("call_caller") or "", called_at=data.get("call_at"),
                    reason=data.get("change_reason") or "",
                )
        except ValidationError as error:
            self.refuse(error)  # type: ignore[attr-defined]  # ServiceAdminMixin, via the composed CaseAdmin
        super().save_model(request, obj, form, change)  # type: ignore[misc]


@admin.register(SeverityRequest)
class SeverityRequestAdmin(admin.ModelAdmin):
    """Care has the final word: accept (severity changes, milestones re-target) or decline, with a reason."""

    list_display = ("case", "from_severity", "requested_severity", "status", "requested_by", "created_at")
    list_filter = ("status", "requested_severity")
    search_fields = ("case__number", "case__subject", "reason")
    list_select_related = ("case", "requested_by")
    readonly_fields = (
        "case", "requested_by", "from_severity", "requested_severity", "reason", "status", "decided_by",
        "decided_at", "created_at",
    )
    fields = (*readonly_fields[:5], "decision_reason", *readonly_fields[5:])
    change_form_template = "admin/cases/severityrequest/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requested by Designated Contacts in the portal

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_care_staff(request.user) and super().has_module_permission(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is not None and obj.status != SeverityRequest.Status.PENDING:
            return (*self.readonly_fields, "decision_reason")
        return self.readonly_fields

    def response_change(self, request: HttpRequest, obj: SeverityRequest) -> Any:
        decision = "_accept" if "_accept" in request.POST else "_decline" if "_decline" in request.POST else None
        if decision is None:
            return super().response_change(request, obj)
        decide = (
            escalation.severity_request_accept if decision == "_accept" else escalation.severity_request_decline
        )
        try:
            decided = decide(request=obj, actor=acting_user(request), reason=request.POST.get("decision_reason", ""))
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
            return HttpResponseRedirect(request.path)
        messages.success(request, _("Request %(outcome)s.") % {"outcome": decided.get_status_display()})
        return HttpResponseRedirect("../")

    def save_model(self, request: HttpRequest, obj: SeverityRequest, form: Any, change: bool) -> None:
        pass  # the decision is written by response_change through cases.escalation.services, never by the form
