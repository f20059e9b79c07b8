"""Portal forms for MAC/D, feature and uptime credit requests. Validation of the rules is in the
services; these only parse input."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import MacdLine
from portal.models import CloudService, EndUserAccount


class _AccountServiceForm(forms.Form):
    account = forms.ModelChoiceField(label=_("End-user account"), queryset=EndUserAccount.objects.none())
    service = forms.ModelChoiceField(label=_("Cloud service"), queryset=CloudService.objects.filter(is_active=True))

    def __init__(self, *args: Any, accounts: QuerySet[EndUserAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]


class MacdRequestForm(_AccountServiceForm):
    title = forms.CharField(label=_("Summary"), max_length=200)


class MacdLineForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=[("", "---------"), *MacdLine.Action.choices],
                               required=False)
    item = forms.CharField(label=_("Item"), max_length=200, required=False,
                           help_text=_("The user, queue, number or feature concerned."))
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    wanted_by = forms.DateField(label=_("Wanted by"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


MacdLineFormSet = forms.formset_factory(MacdLineForm, extra=3, max_num=50, validate_max=True)


class FeatureRequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("Problem it solves"), widget=forms.Textarea(attrs={"rows": 4}))
    service = forms.ModelChoiceField(label=_("Affected service"),
                                     queryset=CloudService.objects.filter(is_active=True))
    business_value = forms.CharField(label=_("Business value"), widget=forms.Textarea(attrs={"rows": 3}))


class MonthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, str) and len(value.strip()) == 7:
            try:
                return datetime.strptime(value.strip(), "%Y-%m").date()
            except ValueError:
                raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None
        return super().to_python(value)


class CreditRequestForm(_AccountServiceForm):
    month = MonthField(label=_("Month"), help_text=_("Requests are taken within 30 days after the month ends."))
    notes = forms.CharField(label=_("What you observed"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RequestCommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
