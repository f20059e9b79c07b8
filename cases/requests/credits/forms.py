"""The portal's uptime credit request form. The rules (the request window) are in the services."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.requests.common import AccountServiceForm


class MonthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, str) and len(value.strip()) == 7:
            try:
                return datetime.strptime(value.strip(), "%Y-%m").date()
            except ValueError:
                raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None
        return super().to_python(value)


class CreditRequestForm(AccountServiceForm):
    month = MonthField(
        label=_("Month"), help_text=_("Requests are taken within 30 days after the month ends.")
    )
    notes = forms.CharField(
        label=_("What you observed"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
