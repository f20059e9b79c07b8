"""`manage.py sla_explain CS-...`: how each target of a case was computed, superseded ones too."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from cases.intake.clocks import clocks_follow_status
from cases.models import Status
from sla.clocks.services import milestone_achieve, milestones_retarget
from sla.models import SlaPolicy
from tests.sla.factories import CustomHolidayFactory, SupportCalendarFactory, case_logged_at

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
HOURS = "Mon 08:00-18:00; Tue 08:00-18:00; Wed 08:00-18:00; Thu 08:00-18:00; Fri 08:00-18:00"


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def explain(number: str) -> str:
    out = StringIO()
    call_command("sla_explain", number, stdout=out)
    return out.getvalue()


def blocks(output: str) -> dict[str, list[list[str]]]:
    """Milestone blocks by their heading line, in printed order."""
    found: dict[str, list[list[str]]] = {}
    for chunk in output.split("\n\n")[1:]:
        head, *lines = chunk.strip("\n").splitlines()
        found.setdefault(head, []).append([line.strip() for line in lines])
    return found


@pytest.fixture
def case():  # type: ignore[no-untyped-def]
    """Business Care High logged Tue 2025-03-11 10:00 London; custom holiday Mon 17th; restoration
    paused 11:00-11:30; response met at 11:45; raised to Critical at 14:00."""
    SlaPolicy.objects.filter(code="business-care-for-cloud").update(pause_restoration_when_awaiting_reseller=True)
    calendar = SupportCalendarFactory(name="London office")
    CustomHolidayFactory(calendar=calendar)
    case = case_logged_at(london(2025, 3, 11, 10), calendar=calendar)
    clocks_follow_status(case=case, old=Status.NEW, new=Status.AWAITING_RESELLER, at=london(2025, 3, 11, 11))
    clocks_follow_status(case=case, old=Status.AWAITING_RESELLER, new=Status.IN_PROGRESS,
                             at=london(2025, 3, 11, 11, 30))
    milestone_achieve(case=case, kind="response", at=london(2025, 3, 11, 11, 45))
    case.severity = 1
    case.save(update_fields=["severity"])
    milestones_retarget(case=case, at=london(2025, 3, 11, 14), reason="2 - High -> 1 - Critical")
    return case


def test_header_names_the_case_and_when_it_was_logged(case):
    head = explain(case.number).split("\n\n")[0].splitlines()
    assert head[0] == f"Case {case.number}: {case.subject}"
    assert "(Business Care for Cloud), severity 1 - Critical, status" in head[1]
    assert head[2].strip() == "logged 2025-03-11 10:00 UTC (Tue 2025-03-11 10:00 GMT local)"


def test_every_milestone_is_explained_including_superseded_ones(case):
    found = blocks(explain(case.number))
    assert sorted((head, len(items)) for head, items in found.items()) == [
        ("Resolution [Breached]", 1), ("Resolution [superseded]", 1),
        ("Response [Met]", 1),
        ("Restoration [Breached]", 1), ("Restoration [superseded]", 1),
    ]
    calendar_line = f"calendar    London office, Europe/London: {HOURS}; 1 custom holidays"

    [old_restoration] = found["Restoration [superseded]"]
    assert old_restoration == [
        "policy      Business Care for Cloud: severity 2 -> 2 bd",
        calendar_line,
        "clock from  2025-03-11 10:00 UTC (Tue 2025-03-11 10:00 GMT local)",
        "paused      2025-03-11 11:00 UTC (Tue 2025-03-11 11:00 GMT local) "
        "until 2025-03-11 11:30 UTC (Tue 2025-03-11 11:30 GMT local)",
        # Thu 10:00 moved later by the 30 paused business minutes.
        "target      2025-03-13 10:30 UTC (Thu 2025-03-13 10:30 GMT local)",
        "warn at     2025-03-12 15:30 UTC (Wed 2025-03-12 15:30 GMT local) (75% of the time)",
        "re-targeted 2025-03-11 14:00 UTC (Tue 2025-03-11 14:00 GMT local): 2 - High -> 1 - Critical",
    ]
    [new_restoration] = found["Restoration [Breached]"]
    assert new_restoration[0] == "policy      Business Care for Cloud: severity 1 -> 4 h"
    assert new_restoration[1] == calendar_line
    assert new_restoration[2] == "clock from  2025-03-11 14:00 UTC (Tue 2025-03-11 14:00 GMT local)"
    assert new_restoration[3] == "target      2025-03-11 18:00 UTC (Tue 2025-03-11 18:00 GMT local)"
    assert not any(line.startswith(("paused", "re-targeted")) for line in new_restoration)

    [response] = found["Response [Met]"]
    assert response[0] == "policy      Business Care for Cloud: severity 2 -> 2 bh"
    assert "target      2025-03-11 12:00 UTC (Tue 2025-03-11 12:00 GMT local)" in response
    assert "met         2025-03-11 11:45 UTC (Tue 2025-03-11 11:45 GMT local)" in response

    # Resolution counts from logging in both rows; 15 bd skip the holiday and end after the DST change.
    for head in ("Resolution [superseded]", "Resolution [Breached]"):
        [resolution] = found[head]
        assert "clock from  2025-03-11 10:00 UTC (Tue 2025-03-11 10:00 GMT local)" in resolution
        assert "target      2025-04-02 09:00 UTC (Wed 2025-04-02 10:00 BST local)" in resolution


def test_public_holidays_are_named(case):
    calendar = case.account.calendar
    calendar.holiday_country = "GB"
    calendar.save()
    assert "; public holidays of GB" in explain(case.number)


def test_a_breach_is_printed(case, django_capture_on_commit_callbacks):
    from sla.alerts import sweep as alerts

    with django_capture_on_commit_callbacks(execute=True):
        alerts.sweep(now=london(2025, 3, 11, 18, 5))
    [restoration] = blocks(explain(case.number))["Restoration [Breached]"]
    assert "breached    2025-03-11 18:00 UTC (Tue 2025-03-11 18:00 GMT local)" in restoration


def test_unknown_case_number_is_an_error():
    with pytest.raises(CommandError, match="No case CS-999999"):
        explain("CS-999999")
