"""A real round trip through the configured broker: Redis in CI, the file-system broker on a laptop."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from cases.intake import services
from portal.celery import app
from tests.cases.factories import CaseFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def through_the_broker():  # type: ignore[no-untyped-def]
    app.conf.task_always_eager = False
    app.control.purge()  # leftovers of an earlier run must not reach this worker
    try:
        yield app
    finally:
        app.conf.task_always_eager = True


def test_email_task_travels_through_the_broker_to_a_worker(through_the_broker, staff, contact):
    case = CaseFactory(account__reseller=contact.reseller)
    # The worker runs in this process (a thread), so the locmem outbox is shared with the test.
    with start_worker(through_the_broker, perform_ping_check=False, pool="solo", concurrency=1):
        services.case_reply(case=case, author=staff, body="Sent through the broker.")
        deadline = time.monotonic() + 20
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.05)
    assert [message.to for message in mail.outbox] == [[contact.user.email]]
    assert "Sent through the broker." in mail.outbox[0].body
