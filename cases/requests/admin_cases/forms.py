"""The admin case form: which account and service, what it is about, and what is needed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.requests.admin_cases.services import ADMIN_TOPICS
from portal.models import CloudService, EndUserAccount


class AdminCaseForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("End-user account"), queryset=EndUserAccount.objects.none(),
        empty_label=_("Choose an end-user account"),
    )
    service = forms.ModelChoiceField(
        label=_("Cloud service or product concerned"), queryset=CloudService.objects.none(),
        empty_label=_("Choose the service"),
    )
    topic = forms.ChoiceField(
        label=_("What is it about?"), choices=ADMIN_TOPICS, widget=forms.RadioSelect
    )
    subject = forms.CharField(label=_("Summary"), max_length=200)
    description = forms.CharField(
        label=_("What do you need?"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000,
        help_text=_("Name the users, licences or settings concerned."),
    )

    def __init__(self, *args: Any, accounts: QuerySet[EndUserAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["service"].queryset = CloudService.objects.filter(  # type: ignore[attr-defined]
            is_active=True, accounts__in=accounts
        ).distinct()
