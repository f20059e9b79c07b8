from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.intake.search import case_search_portal
from cases.models import Case, CaseKind, CaseQuerySet, Severity, Status
from portal.models import CloudService, EndUserAccount
from portal.widgets import ListedModelChoiceFilter, PlainSelect

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class CaseFilter(django_filters.FilterSet):
    """Only declared filters reach the ORM: nothing from the query string is passed through raw."""

    # Bootstrap's classes on the widgets themselves: the page renders the fields directly, which
    # costs a fraction of a crispy-forms template per field on the most visited page.
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=forms.TextInput(attrs=TEXT))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("Any status"), widget=PlainSelect(attrs=SELECT)
    )
    severity = django_filters.ChoiceFilter(
        label=_("Severity"), choices=Severity.choices, empty_label=_("Any severity"),
        widget=PlainSelect(attrs=SELECT),
    )
    account = ListedModelChoiceFilter(
        label=_("End-user account"), queryset=EndUserAccount.objects.none(), empty_label=_("Any account"),
        widget=PlainSelect(attrs=SELECT),
    )
    service = ListedModelChoiceFilter(
        label=_("Product"), queryset=CloudService.objects.all(), empty_label=_("Any product"),
        widget=PlainSelect(attrs=SELECT),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=CaseKind.choices, empty_label=_("Any kind"), widget=PlainSelect(attrs=SELECT)
    )
    open = django_filters.BooleanFilter(label=_("Open cases only"), method="only_open")

    class Meta:
        model = Case
        fields = ["q", "status", "severity", "account", "service", "kind"]

    def __init__(self, *args: Any, accounts: QuerySet[EndUserAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["account"].queryset = accounts

    def search(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return case_search_portal(queryset, value)

    def only_open(self, queryset: CaseQuerySet, name: str, value: bool | None) -> CaseQuerySet:
        return queryset.open() if value else queryset
