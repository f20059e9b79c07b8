"""Admin cases in the Care queue: a case's kind (technical or admin) as a column and a filter,
read-only on the case page.

This module registers nothing: CaseKindAdminMixin is meant to be mixed into the one CaseAdmin
composed from the topics' mixins (for now cases/admin_escalation.py does that).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class CaseKindAdminMixin:
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        return (*readonly, "kind")

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        columns = list(super().get_list_display(request))  # type: ignore[misc]
        at = columns.index("subject") + 1 if "subject" in columns else len(columns)
        columns[at:at] = ["kind"]
        return columns

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        return [*super().get_list_filter(request), "kind"]  # type: ignore[misc]
