"""Queue reads for Care: the nearest unmet deadline, breached and at-risk cases.

The nearest deadline is the case's stored next_due_at (kept by sla.clocks.services), so the queue
orders and filters through an index instead of grouping every milestone of every case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sla.clocks.models import Milestone

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

def _unmet_for_case() -> QuerySet[Milestone]:
    return Milestone.objects.unmet().filter(case=OuterRef("pk"), paused_at__isnull=True)


def _open(cases: Any) -> QuerySet[Any]:
    """The open ones of a case queryset (cases' CaseQuerySet.open), which sla may not name."""
    return cases.open()


def breached(queryset: QuerySet[Any], now: Any) -> QuerySet[Any]:
    # A running milestone is past its target exactly when the nearest running target is.
    return _open(queryset.filter(next_due_at__lte=now))


def at_risk(queryset: QuerySet[Any], now: Any) -> QuerySet[Any]:
    return _open(queryset.filter(
        Exists(_unmet_for_case().filter(warn_at__lte=now, target_at__gt=now))
    ))


class SlaRiskFilter(admin.SimpleListFilter):
    title = _("SLA")
    parameter_name = "sla"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("breached", _("Breached")), ("at_risk", _("At risk"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        now = timezone.now()
        if self.value() == "breached":
            return breached(queryset, now)
        if self.value() == "at_risk":
            return at_risk(queryset, now)
        return queryset
