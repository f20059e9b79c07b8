"""Admin change-list rows built with each column's lookups worked out once per page.

Django's items_for_result resolves every cell from scratch: the field or attribute behind the
column name, its empty-value text, its choices (a new dict per cell), the row's change URL (a
reverse, then a resolve of that URL to merge the list's filters) and the action checkbox (a widget
template per row). On the Care work queue's hundred rows that was half of the page. Here the same
decisions are made once per column and once per page, and each row only reads its values. The
HTML is Django's, character for character (tests/portal/test_admin_rows.py compares them on every
registered admin). Lists that edit rows in place, popups and `to_field` lists keep Django's code.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import urlsplit

from django import template
from django.contrib.admin import ModelAdmin
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()
# Django's private helpers, so the column classes and field lookups are exactly Django's.
_coerce_field_name = admin_list._coerce_field_name  # type: ignore[attr-defined]
_get_non_gfk_field = admin_utils._get_non_gfk_field  # type: ignore[attr-defined]
Cell = Callable[[Any], tuple[Any, str]]  # a row -> (what the cell shows, extra CSS class or "")
_PK = "0000000000"  # stands in for the primary key in the change URL reversed once per page


def _blank_is_empty(value: Any) -> Any:
    """items_for_result shows a string of spaces as the empty-value text, like an empty one."""
    return "" if isinstance(value, str) and value.strip() == "" else value


def _checkbox(model_admin: ModelAdmin[Any]) -> Cell:
    if type(model_admin).action_checkbox is not ModelAdmin.action_checkbox:
        return lambda row: (model_admin.action_checkbox(row), "")
    # Django's CheckboxInput markup for ModelAdmin.action_checkbox, without a template per row.
    label = gettext("Select this object for an action - {}")

    def cell(row: Any) -> tuple[Any, str]:
        return format_html('<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
                           ACTION_CHECKBOX_NAME, str(row.pk), format_html(label, str(row))), ""
    return cell


def _attribute(name: Any, model_admin: ModelAdmin[Any], empty: str) -> Cell:
    """A column that is not a model field: a callable, an admin method or a model attribute."""
    if isinstance(name, str) and hasattr(model_admin, name) and name != "__str__":
        method = getattr(model_admin, name)
        read: Callable[[Any], tuple[Any, Any]] = lambda row: (method(row), method)  # noqa: E731
    elif callable(name):
        read = lambda row: (name(row), name)  # noqa: E731
    else:
        def read(row: Any) -> tuple[Any, Any]:
            _, attr, value = lookup_field(name, row, model_admin)
            return value, attr
    def cell(row: Any) -> tuple[Any, str]:
        try:
            value, attr = read(row)
        except ObjectDoesNotExist:
            return empty, ""
        shown_empty = getattr(attr, "empty_value_display", empty)
        value = _blank_is_empty(value)
        boolean = getattr(attr, "boolean", False)
        if isinstance(attr, property) and hasattr(attr, "fget"):
            boolean = getattr(attr.fget, "boolean", False)
        extra = " nowrap" if isinstance(value, (datetime.date, datetime.time)) else ""
        return display_for_value(value, shown_empty, boolean), extra
    return cell


def _field(field: models.Field[Any, Any], model_admin: ModelAdmin[Any], empty: str, is_link: bool) -> Cell:
    extra = " nowrap" if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)) else ""
    name = field.name
    if field.auto_created:
        def auto(row: Any) -> tuple[Any, str]:
            value = _blank_is_empty(getattr(row, name))
            more = " nowrap" if isinstance(value, (datetime.date, datetime.time)) else ""
            return display_for_value(value, empty, False), more
        return auto
    if isinstance(field.remote_field, models.ManyToOneRel):
        def related(row: Any) -> tuple[Any, str]:
            try:
                value = getattr(row, name)
            except ObjectDoesNotExist:
                return empty, ""
            return (empty if value is None else value), extra
        return related
    if field.flatchoices:
        try:  # each label translated and escaped once a page, not once a row
            labels = {key: conditional_escape(str(label)) for key, label in dict(field.flatchoices).items()}
        except TypeError:  # list-like choices: Django's own path copes with them
            labels = None
        if labels is not None:
            def choice(row: Any) -> tuple[Any, str]:
                value = _blank_is_empty(getattr(row, name))
                return labels.get(value, empty), extra
            return choice

    def plain(row: Any) -> tuple[Any, str]:
        value = _blank_is_empty(getattr(row, name))
        return display_for_field(value, field, empty, avoid_link=is_link), extra
    return plain


def _cell_for(cl: ChangeList, name: Any, empty: str, is_link: bool) -> Cell:
    if name == "action_checkbox":
        return _checkbox(cl.model_admin)
    try:
        field = _get_non_gfk_field(cl.lookup_opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        return _attribute(name, cl.model_admin, empty)
    return _field(field, cl.model_admin, empty, is_link)


def _links_in(cl: ChangeList) -> list[bool]:
    """Which columns link to the change page (items_for_result's link_in_col, for every column)."""
    if cl.list_display_links is None:
        return [False] * len(cl.list_display)
    if not cl.list_display_links:
        return [index == 0 for index in range(len(cl.list_display))]
    return [name in cl.list_display_links for name in cl.list_display]


class _ChangeUrl:
    """The change page's URL for a row, with the list's filters, reversed and merged once a page."""

    def __init__(self, cl: ChangeList) -> None:
        self.cl = cl
        self.query: str | None = None
        self.pk_attname = cl.pk_attname
        try:
            template = ChangeList.url_for_result(cl, cast(Any, SimpleNamespace(**{cl.pk_attname: _PK})))
        except NoReverseMatch:
            template = ""
        self.prefix, found, self.suffix = template.partition(f"/{_PK}/")
        self.fast = bool(found)

    def __call__(self, row: Any) -> str | None:
        pk = getattr(row, self.pk_attname)
        if self.fast and isinstance(pk, int):  # an integer's admin quote and URL quote are its digits
            url = f"{self.prefix}/{pk}/{self.suffix}"
        else:
            try:
                url = ChangeList.url_for_result(self.cl, row)
            except NoReverseMatch:
                return None
        if self.query is None:  # the merged filters are the same for every row of the page
            merged = add_preserved_filters({"preserved_filters": self.cl.preserved_filters, "opts": self.cl.opts}, url)
            self.query = urlsplit(merged).query
        return f"{url}?{self.query}" if self.query else url


def fast_results(cl: ChangeList) -> Iterator[ResultList]:
    """What admin_list.results(cl) yields (each row's cells joined into one), for lists without
    in-place editing, popups or to_field."""
    if cl.formset or cl.is_popup or cl.to_field or type(cl).url_for_result is not ChangeList.url_for_result:
        yield from results(cl)
        return
    empty = cl.model_admin.get_empty_value_display()
    links = _links_in(cl)
    first_link = links.index(True) if True in links else -1
    columns = []
    for index, name in enumerate(cl.list_display):
        css = "action-checkbox" if name == "action_checkbox" else f"field-{_coerce_field_name(name, index)}"
        columns.append((_cell_for(cl, name, empty, links[index]), css, links[index], index == first_link))
    change_url = _ChangeUrl(cl)
    for row in cl.result_list:
        # One item a row, its cells joined: change_list_results.html prints a row's items one
        # after another, and a template variable per cell was a fifth of a hundred rows' time.
        yield ResultList(None, [mark_safe("".join(
            [_render(row, cell, css, link, th, change_url) for cell, css, link, th in columns]))])


def _render(row: Any, cell: Cell, css: str, link: bool, th: bool, change_url: _ChangeUrl) -> str:
    shown, extra = cell(row)
    row_class = f' class="{css}{extra}"'
    if not link:
        return f"<td{row_class}>{conditional_escape(shown)}</td>"
    tag = "th" if th else "td"
    url = change_url(row)
    inner = conditional_escape(shown) if url is None else format_html('<a href="{}">{}</a>', url, shown)
    return f"<{tag}{row_class}>{inner}</{tag}>"


def fast_result_list(cl: ChangeList) -> dict[str, Any]:
    """admin_list.result_list(cl), with the rows from fast_results."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": list(fast_results(cl)),
    }


@register.tag(name="fast_result_list")
def fast_result_list_tag(parser: Any, token: Any) -> InclusionAdminNode:
    # django-stubs lists InclusionAdminNode's arguments out of date; these are Django 5.2's.
    return InclusionAdminNode(parser, token, func=fast_result_list,  # type: ignore[call-arg]
                              template_name="change_list_results.html", takes_context=False)


class ListColumnsChangeList(ChangeList):
    """Reads only the model admin's `list_columns_read` for the page's rows (their count and the
    actions' querysets are Django's, with whole rows)."""

    def get_results(self, request: Any) -> None:
        columns = getattr(self.model_admin, "list_columns_read", ())
        if columns:
            self.queryset = self.queryset.only(*columns)
        super().get_results(request)


class ListColumnsMixin:
    """For a busy admin list: name in `list_columns_read` every column its rows show (fields,
    and what its display methods and __str__ read, across relations too); the rest of each row,
    long texts included, stays in the database. A column left out costs a query per row, which
    the list's pinned query count catches."""

    list_columns_read: tuple[str, ...] = ()

    def get_changelist(self, request: Any, **kwargs: Any) -> type[ChangeList]:
        return ListColumnsChangeList
