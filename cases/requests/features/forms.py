"""The portal's feature request form. The rules are checked by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import CloudService


class FeatureRequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(
        label=_("Problem it solves"), widget=forms.Textarea(attrs={"rows": 4})
    )
    service = forms.ModelChoiceField(
        label=_("Affected service"), queryset=CloudService.objects.filter(is_active=True)
    )
    business_value = forms.CharField(
        label=_("Business value"), widget=forms.Textarea(attrs={"rows": 3})
    )
