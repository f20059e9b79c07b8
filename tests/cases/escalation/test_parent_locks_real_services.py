"""A service that holds a case (or its milestones) locked to change it does not stop other
requests from adding rows that point at it (PostgreSQL: FOR NO KEY UPDATE, not FOR UPDATE)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from cases.escalation.services import _locked
from cases.models import CaseEvent
from sla.clocks.services import _current, milestones_start
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.services


@pytest.fixture
def postgres(transactional_db, reference_data):  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI runs it")


def _while_held(lock, add_child) -> None:  # type: ignore[no-untyped-def]
    """Holds `lock()` in one transaction while another adds a child row and commits within 2 s."""
    held, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def holder() -> None:
        try:
            with transaction.atomic():
                lock()
                held.set()
                done.wait(10)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # FOR UPDATE would stop the commit
            add_child()
    finally:
        done.set()
        thread.join(10)
    assert not errors


def test_an_event_can_be_added_while_escalation_holds_the_case(postgres):
    case = CaseFactory()
    _while_held(lambda: _locked(case), lambda: CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE))
    assert case.events.filter(kind=CaseEvent.Kind.NOTE).exists()


def test_a_milestone_can_be_referenced_while_the_clock_holds_it(postgres):
    case = CaseFactory()
    milestone = milestones_start(case=case)[0]

    def add_child() -> None:
        milestone.pauses.create(started_at=milestone.started_at)

    _while_held(lambda: _current(case, milestone.kind), add_child)
    assert milestone.pauses.count() == 1
