"""A paginator whose deep pages cost an index walk, not a sort of every row.

Django's Paginator slices the whole queryset: OFFSET 100,000 on the joined, selected rows makes
PostgreSQL build (and mostly throw away) every row before the page. Here the OFFSET runs on the
primary keys alone, which an index matching the list's filter and order answers without touching
the table (an index-only scan), in a subquery; the outer query reads only those rows, with their
joins, in the list's order: the same one query per page. The URLs (?page=N), the page numbers and
the count stay Django's.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class PrimaryKeyPaginator(Paginator):
    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = cast(QuerySet[Any], self.object_list)  # only ever given querysets
        ids = queryset.values("pk")[bottom:top]
        return Page(queryset.filter(pk__in=ids), number, self)
