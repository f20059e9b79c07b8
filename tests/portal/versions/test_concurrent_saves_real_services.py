"""Two staff press Save at the same moment with the same version: on PostgreSQL, exactly one wins."""

from __future__ import annotations

import threading
import time
from typing import Any
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import Client

from cases.intake import services as intake
from cases.models import Case, Status
from tests.admin_forms import change_form_data
from tests.cases.factories import CaseFactory
from tests.portal.factories import StaffFactory
from tests.portal.mfa.factories import login_verified

pytestmark = pytest.mark.services


@pytest.fixture
def postgres(transactional_db, reference_data):  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI runs it")


def test_two_simultaneous_saves_with_one_version_cannot_both_win(postgres):
    case = CaseFactory(status=Status.NEW)
    url = f"/admin/cases/case/{case.pk}/change/"
    clients = []
    for name in ("ann", "ben"):
        clients.append(login_verified(Client(), StaffFactory(username=name)))
    opened = change_form_data(clients[0], url)
    wanted = [Status.IN_PROGRESS, Status.AWAITING_RESELLER]
    original = intake.case_change_status

    def slow_change(**kwargs: Any) -> Any:
        # Hold the winner's transaction open so that the other save checks while it is running.
        result = original(**kwargs)
        time.sleep(0.5)
        return result

    start = threading.Barrier(2)
    codes: dict[int, int] = {}

    def save(index: int) -> None:
        try:
            start.wait()
            codes[index] = clients[index].post(url, {**opened, "status": wanted[index]}).status_code
        finally:
            connections.close_all()

    with mock.patch.object(intake, "case_change_status", slow_change):
        threads = [threading.Thread(target=save, args=(index,)) for index in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

    assert sorted(codes.values()) == [200, 302]
    winner = next(index for index, code in codes.items() if code == 302)
    case = Case.objects.get(pk=case.pk)
    assert case.status == wanted[winner]
    assert case.events.filter(kind="status").count() == 1


def test_a_double_click_on_incident_report_at_once_makes_one_report_and_no_error(postgres):
    from cases.models import IncidentReport
    from tests.cases.followups.postmortem_helpers import held_post_mortem, utc
    from tests.portal.factories import DesignatedContactFactory, ResellerFactory

    reseller = ResellerFactory()
    contact = DesignatedContactFactory(reseller=reseller)
    post_mortem = held_post_mortem(staff=StaffFactory(), reseller=reseller, meeting_at=utc(2025, 3, 14, 14, 0))
    url = f"/post-mortems/{post_mortem.case.number}/incident-report/"
    start = threading.Barrier(2)
    codes: list[int] = []

    def click() -> None:
        try:
            client = Client()
            client.force_login(contact.user)
            start.wait()
            codes.append(client.post(url, {"coverage_request": "Everything."}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert codes == [302, 302]  # the second is told it was already requested, on the same page
    assert IncidentReport.objects.filter(post_mortem=post_mortem).count() == 1
