"""The Designated Contact's answer to Care's remote access request."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RemoteAccessDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))], widget=forms.HiddenInput
    )
