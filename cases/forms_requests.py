"""Forms for the "new request" pages: admin case, data privacy request, remote access answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import DataPrivacyRequest
from cases.requests import ADMIN_TOPICS
from portal.models import CloudService, EndUserAccount


class ServiceErrorsMixin:
    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)  # type: ignore[attr-defined]
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)  # type: ignore[attr-defined]


class AdminCaseForm(ServiceErrorsMixin, forms.Form):
    account = forms.ModelChoiceField(
        label=_("End-user account"), queryset=EndUserAccount.objects.none(),
        empty_label=_("Choose an end-user account"),
    )
    service = forms.ModelChoiceField(
        label=_("Cloud service or product concerned"), queryset=CloudService.objects.none(),
        empty_label=_("Choose the service"),
    )
    topic = forms.ChoiceField(label=_("What is it about?"), choices=ADMIN_TOPICS, widget=forms.RadioSelect)
    subject = forms.CharField(label=_("Summary"), max_length=200)
    description = forms.CharField(
        label=_("What do you need?"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000,
        help_text=_("Name the users, licences or settings concerned."),
    )

    def __init__(self, *args: Any, accounts: QuerySet[EndUserAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.fields["service"].queryset = CloudService.objects.filter(
            is_active=True, accounts__in=accounts
        ).distinct()


class PrivacyRequestForm(ServiceErrorsMixin, forms.Form):
    account = forms.ModelChoiceField(
        label=_("End-user account"), queryset=EndUserAccount.objects.none(),
        empty_label=_("Choose an end-user account"),
    )
    request_type = forms.ChoiceField(
        label=_("Request type"), choices=DataPrivacyRequest.Type.choices, widget=forms.RadioSelect
    )
    subject_identifier = forms.CharField(
        label=_("Data subject identifier"), max_length=200,
        help_text=_("How the end user's system identifies the person, e.g. an email address or user ID."),
    )
    details = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000,
        help_text=_("What data, which systems, and any deadline the data subject was given."),
    )

    def __init__(self, *args: Any, accounts: QuerySet[EndUserAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts


class RemoteAccessDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))], widget=forms.HiddenInput
    )
