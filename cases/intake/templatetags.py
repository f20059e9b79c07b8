"""{% case_rows cases %}: the rows of the case table (templates/cases/intake/_case_table.html).

The case list is the portal's most visited page, and its rows were most of its time: about forty
template nodes a row, each resolving variables, filters and a `{% url %}`. Built in Python with
Django's escape (every value exactly as the template escaped it), and with what every row shares
worked out once a page, a page of rows costs a few milliseconds. The markup is the template's
own; tests/cases/intake/test_case_table.py pins it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import quote

from django import template
from django.db.models import Field, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cases.models import Case, CaseKind
from portal.templatetags.portal_tags import severity_css, status_css
from sla.clocks.display import milestone_state
from sla.clocks.models import Milestone
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


class _RowWriter:
    """Writes one page of rows. Whatever is the same on every row (labels and choices in the
    reader's language, the time zone and date format, the detail URL) is worked out once a page;
    each value is escaped as format_html (Django's escape) does."""

    def __init__(self, labels: dict[str, str]) -> None:
        self.now = timezone.now()
        self.zone = timezone.get_current_timezone()
        self.date_format = get_format("SHORT_DATETIME_FORMAT")
        self.cell = {name: f'    <td data-label="{conditional_escape(label)}">' for name, label in labels.items()}
        self.small_cell = {name: f'    <td data-label="{conditional_escape(label)}" class="small">'
                           for name, label in labels.items()}
        self.kinds = _escaped_choices(Case, "kind")
        self.severities = _escaped_choices(Case, "severity")
        self.statuses = _escaped_choices(Case, "status")
        self.milestone_kinds = _escaped_choices(Milestone, "kind")
        self.none_open = f'<span class="text-body-secondary">{escape(gettext("None open"))}</span>'
        self.detail_url = reverse("case_detail", args=[_NUMBER]).split(_NUMBER)

    def when(self, value: datetime) -> str:
        local = value.astimezone(self.zone)
        return f'<time datetime="{local.isoformat()}">{escape(date_format(local, self.date_format))}</time>'

    def deadline(self, case: Case) -> str:
        milestone = next_milestone(case)
        if milestone is None:
            return self.none_open
        state = milestone_state(milestone, self.now, case.is_open)
        assert milestone.target_at is not None  # next_milestone keeps only milestones with a target
        detail = f' <span class="small">{conditional_escape(state.detail)}</span>' if state.detail else ""
        kind = self.milestone_kinds.get(milestone.kind) or escape(milestone.kind)
        return (f'{kind} {self.when(milestone.target_at)}<br><span class="badge {escape(state.css)}">'
                f"{conditional_escape(state.label)}</span>{detail}")

    def row(self, case: Case) -> str:
        number = escape(case.number or "")
        url = escape(quote(case.number or "", safe=_URL_SAFE).join(self.detail_url))
        kind = ""
        if case.kind == CaseKind.ADMIN:
            kind = f' <span class="badge text-bg-light border case-kind">{self.kinds[case.kind]}</span>'
        severity = self.severities.get(case.severity) or escape(case.severity)
        status = self.statuses.get(case.status) or escape(case.status)
        cell, small = self.cell, self.small_cell
        return (
            "  <tr>\n"
            f'{cell["case"]}<a href="{url}" class="fw-semibold case-number">{number}</a></td>\n'
            f'{cell["summary"]}{escape(case.subject)}{kind}</td>\n'
            f'{cell["account"]}{escape(case.account)}</td>\n'
            f'{cell["product"]}{escape(case.service)}</td>\n'
            f'{cell["severity"]}<span class="badge {severity_css(case.severity)}">{severity}</span></td>\n'
            f'{cell["status"]}<span class="badge badge-status {status_css(case.status)}">{status}</span></td>\n'
            f'{small["deadline"]}{self.deadline(case)}</td>\n'
            f'{small["updated"]}{self.when(case.updated_at)}</td>\n'
            "  </tr>\n"
        )


_NUMBER = "0NUMBER0"  # stands in for the case number in the detail URL reversed once a page
_URL_SAFE = "!$&'()*+,;=/~:@"  # what reverse() leaves unquoted in a path argument (RFC 3986 sub-delims)


def _escaped_choices(model: type[Model], field_name: str) -> dict[Any, str]:
    return {value: escape(label) for value, label in _choices(model, field_name).items()}


@register.simple_tag
def case_rows(cases: Iterable[Case], **labels: str) -> SafeString:
    """One <tr> a case; the column names (data-label) come translated from the template."""
    writer = _RowWriter(labels)
    return mark_safe("".join(writer.row(case) for case in cases))  # every value escaped above
