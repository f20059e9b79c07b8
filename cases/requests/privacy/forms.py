"""The data privacy request form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.requests.privacy.models import DataPrivacyRequest
from portal.models import EndUserAccount


class PrivacyRequestForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("End-user account"), queryset=EndUserAccount.objects.none(),
        empty_label=_("Choose an end-user account"),
    )
    request_type = forms.ChoiceField(
        label=_("Request type"), choices=DataPrivacyRequest.Type.choices, widget=forms.RadioSelect
    )
    subject_identifier = forms.CharField(
        label=_("Data subject identifier"), max_length=200,
        help_text=_(
            "How the end user's system identifies the person, e.g. an email address or user ID."
        ),
    )
    details = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000,
        help_text=_("What data, which systems, and any deadline the data subject was given."),
    )

    def __init__(self, *args: Any, accounts: QuerySet[EndUserAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
