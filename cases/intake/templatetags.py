"""{% case_rows cases %}: the rows of the case table (templates/cases/intake/_case_table.html).

The case list is the portal's most visited page, and its rows were most of its time: about forty
template nodes a row, each resolving variables, filters and a `{% url %}`. Built in Python with
format_html (escaping every value exactly as the template did), a page of rows costs a few
milliseconds. The markup is the template's own; tests/cases/intake/test_case_table.py pins it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any

from django import template
from django.db.models import Field, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format_raw
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cases.models import Case, CaseKind
from portal.templatetags.portal_tags import severity_css, status_css
from sla.clocks.display import milestone_state
from sla.clocks.templatetags import next_milestone

register = template.Library()


@cache
def _choices(model: type[Model], field_name: str) -> dict[Any, Any]:
    """A field's value -> label, built once: get_FOO_display() rebuilds (and hashes) every lazy
    label on each call. The labels stay lazy, so each request still gets its own language."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, Field)
    return dict(field.flatchoices)


def choice_label(instance: Model, field_name: str) -> str:
    """What instance.get_<field>_display() shows."""
    value = getattr(instance, field_name)
    return str(_choices(type(instance), field_name).get(value, value))


def _when(value: datetime) -> SafeString:
    local = timezone.localtime(value)
    return format_html('<time datetime="{}">{}</time>', date_format_raw(local, "c"),
                       date_format(local, "SHORT_DATETIME_FORMAT"))


def _deadline(case: Case, now: datetime) -> SafeString:
    milestone = next_milestone(case)
    if milestone is None:
        return format_html('<span class="text-body-secondary">{}</span>', gettext("None open"))
    state = milestone_state(milestone, now, case.is_open)
    assert milestone.target_at is not None  # next_milestone keeps only milestones with a target
    detail = format_html(' <span class="small">{}</span>', state.detail) if state.detail else ""
    return format_html('{} {}<br><span class="badge {}">{}</span>{}', choice_label(milestone, "kind"),
                       _when(milestone.target_at), state.css, state.label, detail)


def _row(case: Case, labels: dict[str, str], now: datetime) -> SafeString:
    kind = ""
    if case.kind == CaseKind.ADMIN:
        kind = format_html(' <span class="badge text-bg-light border case-kind">{}</span>', choice_label(case, "kind"))
    cells = [
        ("case", format_html('<a href="{}" class="fw-semibold case-number">{}</a>',
                             reverse("case_detail", args=[case.number]), case.number), ""),
        ("summary", format_html("{}{}", case.subject, kind), ""),
        ("account", format_html("{}", case.account), ""),
        ("product", format_html("{}", case.service), ""),
        ("severity", format_html('<span class="badge {}">{}</span>', severity_css(case.severity),
                                 choice_label(case, "severity")), ""),
        ("status", format_html('<span class="badge badge-status {}">{}</span>', status_css(case.status),
                               choice_label(case, "status")), ""),
        ("deadline", _deadline(case, now), mark_safe(' class="small"')),
        ("updated", _when(case.updated_at), mark_safe(' class="small"')),
    ]
    return format_html("  <tr>\n{}\n  </tr>\n", format_html_join(
        "\n", '    <td data-label="{}"{}>{}</td>', ((labels[name], attrs, html) for name, html, attrs in cells)
    ))


@register.simple_tag
def case_rows(cases: Iterable[Case], **labels: str) -> SafeString:
    """One <tr> a case; the column names (data-label) come translated from the template."""
    now = timezone.now()
    return mark_safe("".join(_row(case, labels, now) for case in cases))  # each row is format_html's
