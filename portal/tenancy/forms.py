from __future__ import annotations

import zoneinfo
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.models import Membership, User

TIME_ZONE_CHOICES = [("", _("Choose a time zone"))] + [
    (name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"
]

class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user} <{obj.user.email}>"


class NominationForm(forms.Form):
    colleague = ColleagueChoiceField(label=_("Colleague"), queryset=Membership.objects.none())
    phone_24x7 = forms.CharField(
        label=_("Phone reachable at all times"), max_length=40,
        help_text=_("Customer Care calls this number for Critical cases, day or night."),
    )
    note = forms.CharField(label=_("Note for Customer Care"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, candidates: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ColleagueChoiceField, self.fields["colleague"]).queryset = candidates
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Nominate")))


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "time_zone", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))
