"""Admin lists whose row links keep the list's filters without resolving a URL for every row.

Django's items_for_result passes each row's change URL through add_preserved_filters, which
resolves that URL against every admin pattern to see whether it is the changelist itself: on a
filtered or searched queue of a hundred rows that was a fifth of the page. Every row's change URL
is the same view, so the merged query is worked out once (by add_preserved_filters itself, on the
first row) and appended to each row's URL; add_preserved_filters then only re-encodes it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.http import HttpRequest


class OncePreservedFiltersChangeList(ChangeList):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_filters = self.preserved_filters
        self.row_query: str | None = None
        self.preserved_filters = ""  # read only by items_for_result, which now finds them in the URL

    def url_for_result(self, result: Any) -> str:
        url = super().url_for_result(result)
        if not self.row_filters:
            return url
        if self.row_query is None:
            merged = add_preserved_filters({"preserved_filters": self.row_filters, "opts": self.opts}, url)
            self.row_query = urlsplit(merged).query
        return f"{url}?{self.row_query}" if self.row_query else url


class OncePreservedFiltersMixin:
    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return OncePreservedFiltersChangeList
