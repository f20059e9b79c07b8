"""Portal forms for MAC/D requests. The rules are checked by the services; these only parse
input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.requests.common import AccountServiceForm
from cases.requests.macd.models import MacdLine
from cases.requests.macd.services import MAX_LINES


class MacdRequestForm(AccountServiceForm):
    title = forms.CharField(label=_("Summary"), max_length=200)


class MacdLineForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", "---------"), *MacdLine.Action.choices], required=False
    )
    item = forms.CharField(
        label=_("Item"),
        max_length=200,
        required=False,
        help_text=_("The user, queue, number or feature concerned."),
    )
    details = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    wanted_by = forms.DateField(
        label=_("Wanted by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


MacdLineFormSet = forms.formset_factory(MacdLineForm, extra=3, max_num=MAX_LINES, validate_max=True)


class RequestCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
