from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sla.maintenance.models import MaintenanceRule


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RescheduleRequestForm(forms.Form):
    """Which occurrence (account, rule, planned start in UTC), the proposed time in the viewer's own
    time zone, and why. The service checks the occurrence really is one of the account's windows."""

    account = forms.IntegerField(widget=forms.HiddenInput)
    rule = forms.ModelChoiceField(queryset=MaintenanceRule.objects.filter(is_active=True), widget=forms.HiddenInput)
    occurrence_start = forms.IntegerField(widget=forms.HiddenInput)  # the planned start, Unix seconds (UTC)
    proposed_start = forms.DateTimeField(label=_("Proposed start (your time zone)"), widget=LocalDateTimeInput())
    proposed_end = forms.DateTimeField(label=_("Proposed end (your time zone)"), widget=LocalDateTimeInput())
    reason = forms.CharField(label=_("Business reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def clean_occurrence_start(self) -> datetime:
        try:
            return datetime.fromtimestamp(self.cleaned_data["occurrence_start"], UTC)
        except (OverflowError, OSError, ValueError):
            raise forms.ValidationError(_("Choose a planned window from the maintenance page.")) from None


class FeedTokenForm(forms.Form):
    action = forms.ChoiceField(choices=[("regenerate", _("New address")), ("revoke", _("Revoke"))])
