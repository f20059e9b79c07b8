from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.intake.services import CONFIRMATION_FIELDS, CRITICAL_AT_INTAKE_MESSAGE
from cases.models import Case, Severity
from portal.models import CloudService, EndUserAccount
from portal.tenancy.forms import TIME_ZONE_CHOICES

INTAKE_PRIORITIES = [(value, label) for value, label in Severity.choices if value != Severity.CRITICAL]
# Critical is not offered, but a posted 1 is answered with the contract's advice, not "invalid choice".
PRIORITY_VALUES = [(value, label) for value, label in Severity.choices]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Renders the picker; the view stages each file itself so one bad file loses no others."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        return None


class CaseForm(forms.ModelForm):
    first_observed_local = forms.DateTimeField(
        label=_("Date and time first observed"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("In the impacted users' local time."),
    )
    impacted_time_zone = forms.ChoiceField(label=_("Time zone of impacted users"), choices=TIME_ZONE_CHOICES)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=PRIORITY_VALUES, coerce=int, initial=Severity.MEDIUM,
    )
    attachments = MultipleFileField(
        label=_("Sanitized logs and screenshots"),
        help_text=_("Several files allowed. Remove the end user's customer data before attaching."),
    )
    logs_sanitized = forms.BooleanField(
        label=_("I confirm the attached files are free of the end user's customer data."), required=False
    )

    class Meta:
        model = Case
        fields = [
            "account", "service", "subject", "priority", "users_affected", "frequency",
            "impacted_time_zone", "impacted_location", "impacted_working_hours",
            "what_went_wrong", "business_impact", "steps_to_reproduce", "non_genesys_changes",
            "dns", "user_information", "ani_cli", "equipment", "circuits", "campaign_name",
            "report_name", "local_contact_name", "local_contact_phone", "local_contact_email",
            *CONFIRMATION_FIELDS,
        ]
        widgets = {
            field: forms.Textarea(attrs={"rows": 3})
            for field in ("what_went_wrong", "business_impact", "steps_to_reproduce",
                          "non_genesys_changes", "user_information", "equipment", "circuits")
        }

    # The error summary lists fields in this order, which is the order the page shows them.
    field_order = [
        "account", "service", "subject", "priority", "users_affected", "frequency", "first_observed_local",
        "what_went_wrong", "business_impact", "steps_to_reproduce", "non_genesys_changes",
        "dns", "ani_cli", "campaign_name", "report_name", "user_information", "equipment", "circuits",
        "impacted_time_zone", "impacted_location", "impacted_working_hours", "local_contact_name",
        "local_contact_phone", "local_contact_email", *CONFIRMATION_FIELDS, "attachments", "logs_sanitized",
    ]

    def __init__(self, *args: Any, accounts: QuerySet[EndUserAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account = cast("forms.ModelChoiceField[EndUserAccount]", self.fields["account"])
        service = cast("forms.ModelChoiceField[CloudService]", self.fields["service"])
        account.queryset = accounts
        account.empty_label = _("Choose an end-user account")
        service.empty_label = _("Choose the affected service")
        service.queryset = CloudService.objects.filter(
            is_active=True, accounts__in=accounts
        ).distinct()
        self.fields["priority"].widget.choices = INTAKE_PRIORITIES
        self.fields["users_affected"].widget.attrs["min"] = 1
        for field in CONFIRMATION_FIELDS:
            self.fields[field].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("What is affected"), "account", "service", "subject", "priority",
                     HTML('{% include "cases/escalation/_critical_callout.html" %}'),
                     "users_affected", "frequency", "first_observed_local"),
            Fieldset(_("The problem"), "what_went_wrong", "business_impact", "steps_to_reproduce",
                     "non_genesys_changes"),
            Fieldset(_("Technical details, where they apply"),
                     Div("dns", "ani_cli", "campaign_name", "report_name", css_class="row-cols-2"),
                     "user_information", "equipment", "circuits"),
            Fieldset(_("Impacted users and local contact"), "impacted_time_zone", "impacted_location",
                     "impacted_working_hours", "local_contact_name", "local_contact_phone",
                     "local_contact_email"),
            Fieldset(_("First-level support done (Support Guide 4.1)"), *CONFIRMATION_FIELDS),
            Fieldset(_("Logs and files"), "attachments",
                     HTML('{% include "cases/intake/_staged_uploads.html" %}'), "logs_sanitized"),
        )
        self.helper.add_input(Submit("submit", _("Submit case")))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        local: datetime | None = cleaned.get("first_observed_local")
        zone = cleaned.get("impacted_time_zone")
        if local is not None and zone:
            naive = local.replace(tzinfo=None)
            cleaned["first_observed_at"] = naive.replace(tzinfo=zoneinfo.ZoneInfo(zone))
        return cleaned

    # The service names model fields; where the form asks differently, its errors go here instead.
    SERVICE_FIELD_TO_FORM_FIELD = {"first_observed_at": "first_observed_local"}

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            target = self.SERVICE_FIELD_TO_FORM_FIELD.get(field, field)
            self.add_error(target if target in self.fields else None, errors)

    def clean_priority(self) -> int:
        priority = self.cleaned_data["priority"]
        if priority == Severity.CRITICAL:
            raise ValidationError(CRITICAL_AT_INTAKE_MESSAGE)
        return priority

    def service_details(self) -> dict[str, Any]:
        """The cleaned values the case_create service takes."""
        data = {field: self.cleaned_data.get(field) for field in self.Meta.fields}
        data["first_observed_at"] = self.cleaned_data.get("first_observed_at")
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )


class UploadForm(forms.Form):
    attachments = MultipleFileField(label=_("Add files"), required=False)
    logs_sanitized = forms.BooleanField(
        label=_("I confirm these files are free of the end user's customer data."), required=False
    )


def max_upload_mb() -> int:
    return int(settings.ATTACHMENT_MAX_BYTES // (1024 * 1024))
