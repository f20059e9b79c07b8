"""Portal forms for escalation: naming the contact reachable at all times, asking for a severity change."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.escalation import services as escalation
from cases.models import Case, Severity
from portal.models import Membership


class OnCallChoiceField(forms.ModelChoiceField):
    """Lists a Designated Contact with the phone Customer Care would call (portal and admin)."""

    def label_from_instance(self, membership: Membership) -> str:
        return f"{membership.user.get_full_name() or membership.user.get_username()} ({membership.phone_24x7})"


class OnCallForm(forms.Form):
    on_call_contact = OnCallChoiceField(
        label=_("Designated Contact reachable at all times"), queryset=Membership.objects.none(),
        empty_label=_("Choose a contact"),
        help_text=_("Customer Care calls this person while the case is Critical. Only approved Designated "
                    "Contacts with a 24x7 phone number are listed."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(OnCallChoiceField, self.fields["on_call_contact"]).queryset = escalation.on_call_candidates(case)
        if case.on_call_contact_id:
            self.initial.setdefault("on_call_contact", case.on_call_contact_id)


class SeverityRequestForm(forms.Form):
    severity = forms.TypedChoiceField(label=_("Requested severity"), coerce=int, choices=())
    reason = forms.CharField(
        label=_("Why should the severity change?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["severity"]).choices = [
            (value, label) for value, label in Severity.choices if value != case.severity
        ]
