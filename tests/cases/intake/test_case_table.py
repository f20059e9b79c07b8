"""The case table's rows (built in Python by cases.intake.templatetags): the markup, the escaping,
the viewer's time zone and language, as the per-row template gave them."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from cases.intake import services
from cases.intake.templatetags import choice_label
from cases.models import Case, CaseKind, Severity, Status
from sla.models import Milestone
from tests.cases.factories import CaseFactory
from tests.sla.factories import RoundTheClockCalendarFactory

pytestmark = pytest.mark.django_db


def _row(page: str, number: str) -> str:
    pattern = r'<tr>\s*<td data-label="Case"><a href="/cases/' + re.escape(number) + r'/".*?</tr>'
    match = re.search(pattern, page, re.S)
    assert match, f"no row for {number}"
    return match.group(0)


def test_a_row_shows_every_column_escaped_and_linked(client_for, contact, account):
    case = CaseFactory(account=account, subject="Queue <script>x</script> & more", kind=CaseKind.ADMIN,
                       severity=Severity.CRITICAL, status=Status.AWAITING_RESELLER)
    row = _row(client_for(contact.user).get("/cases/").content.decode(), case.number)
    assert f'<a href="/cases/{case.number}/" class="fw-semibold case-number">{case.number}</a>' in row
    assert "Queue &lt;script&gt;x&lt;/script&gt; &amp; more" in row
    assert '<span class="badge text-bg-light border case-kind">Administration</span>' in row
    assert f'<td data-label="Account">{account}</td>' in row
    assert '<span class="badge text-bg-danger">1 - Critical</span>' in row
    assert '<span class="badge badge-status text-bg-warning">Awaiting reseller</span>' in row
    assert '<td data-label="Next deadline" class="small"><span class="text-body-secondary">None open</span></td>' in row


def test_the_next_deadline_is_in_the_viewers_time_zone_with_its_state(client_for, contact, intake, account):
    contact.user.time_zone = "Asia/Tokyo"
    contact.user.save()
    account.calendar = RoundTheClockCalendarFactory()
    account.save()
    case = services.case_create(contact=contact.user, details=intake)
    response = Milestone.objects.get(case=case, kind="response", superseded_at__isnull=True)
    Milestone.objects.filter(pk=response.pk).update(warn_at=timezone.now() - timedelta(minutes=1))
    row = _row(client_for(contact.user).get("/cases/").content.decode(), case.number)
    due = response.target_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f'Response <time datetime="{due.isoformat()}">' in row
    assert '<br><span class="badge text-bg-warning">At risk</span> <span class="small">' in row
    assert "left</span>" in row
    updated = Case.objects.get(pk=case.pk).updated_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f'<td data-label="Updated" class="small"><time datetime="{updated.isoformat()}">' in row


def test_a_closed_case_shows_its_deadline_stopped(client_for, contact, intake, account):
    case = services.case_create(contact=contact.user, details=intake)
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    row = _row(client_for(contact.user).get("/cases/").content.decode(), case.number)
    assert '<span class="badge text-bg-secondary">Stopped</span> <span class="small">case closed</span>' in row


def test_choice_labels_follow_the_active_language():
    case = Case(status=Status.IN_PROGRESS, severity=Severity.HIGH, kind=CaseKind.TECHNICAL)
    assert choice_label(case, "status") == case.get_status_display() == "In progress"
    assert choice_label(case, "severity") == case.get_severity_display()
    with translation.override("de"):
        assert choice_label(case, "kind") == case.get_kind_display()
    assert choice_label(Case(status="gone"), "status") == "gone"  # as get_FOO_display: the raw value
