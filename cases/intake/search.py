"""Case search: the same matches on every backend, shaped so PostgreSQL can use its indexes.

Both searches stay Django's `icontains`/`iexact`; migration cases 0013 gives PostgreSQL trigram
indexes on exactly those expressions. A condition on a joined table inside the OR would force a
scan of every case, so the Care search first turns account and reseller names into id lists (two
small lookups) and the whole OR stays on the case table.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.text import smart_split, unescape_string_literal

from cases.models import Case
from portal.models import EndUserAccount, Reseller


def case_search_portal(queryset: QuerySet[Case], value: str) -> QuerySet[Case]:
    value = value.strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(number__iexact=value) | Q(subject__icontains=value) | Q(business_impact__icontains=value)
        | Q(what_went_wrong__icontains=value)
    )


def _terms(search: str) -> list[str]:
    """Django admin's own splitting: words, or "quoted phrases"."""
    terms = []
    for bit in smart_split(search):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            terms.append(bit)
    return terms


def case_search_admin(queryset: QuerySet[Case], search: str) -> QuerySet[Case]:
    """What search_fields ("number", "subject", "account__name", "reseller__name") matches: every
    term in one of the four."""
    for term in _terms(search):
        accounts = list(EndUserAccount.objects.filter(name__icontains=term).values_list("pk", flat=True))
        resellers = list(Reseller.objects.filter(name__icontains=term).values_list("pk", flat=True))
        queryset = queryset.filter(
            Q(number__icontains=term) | Q(subject__icontains=term) | Q(account_id__in=accounts)
            | Q(reseller_id__in=resellers)
        )
    return queryset
