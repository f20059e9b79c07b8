from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class IncidentReportRequestForm(forms.Form):
    coverage_request = forms.CharField(
        label=_("What should the incident report cover?"),
        help_text=_("For example the questions your end user asks, or who the report is for."),
        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
    )
