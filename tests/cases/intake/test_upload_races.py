"""Races on real PostgreSQL row locks: the purge against a form attaching the same staged file, and
two uploads for one reseller that each fit its quota alone but not together."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from cases.intake import services
from cases.intake.staging import staged_uploads_purge
from cases.models import Attachment, Case, StagedUpload, private_storage
from tests.cases.factories import CaseFactory
from tests.cases.intake.factories import StagedUploadFactory

pytestmark = pytest.mark.services


@pytest.fixture
def postgres(transactional_db, reference_data) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (set DATABASE_URL); CI runs it")


def in_open_transaction(work: Callable[[], object], done_inside: threading.Event, release: threading.Event,
                        errors: list[BaseException]) -> threading.Thread:
    """Runs `work` in a transaction that stays open (its locks held) until `release` is set."""

    def run() -> None:
        try:
            with transaction.atomic():
                work()
                done_inside.set()
                release.wait(30)
        except BaseException as error:  # reported to the test thread
            errors.append(error)
            done_inside.set()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def blocked_call(work: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_the_purge_leaves_alone_a_staged_file_that_a_form_is_attaching(postgres, account, contact):
    case = CaseFactory(account=account, opened_by=contact.user)
    item = StagedUploadFactory(owner=contact.user)
    created = item.created_at
    inside, release, errors = threading.Event(), threading.Event(), []
    attaching = in_open_transaction(
        lambda: services.case_add_attachments(case=case, actor=contact.user, staged=[item], logs_sanitized=True),
        inside, release, errors,
    )
    assert inside.wait(30) and not errors, errors
    purge, outcome = blocked_call(lambda: staged_uploads_purge(now=created + timedelta(days=2)))
    purge.join(1)
    assert purge.is_alive(), "the purge waits for the form's lock on the row"
    release.set()
    attaching.join(30)
    purge.join(30)

    assert outcome == [0]
    attachment = Attachment.objects.get()
    assert attachment.file.name == item.file.name
    assert private_storage.exists(attachment.file.name)  # the attachment's file was not deleted
    assert not StagedUpload.objects.exists()


def test_two_uploads_that_fit_only_one_at_a_time_do_not_both_get_in(postgres, account, contact, second_contact):
    reseller = account.reseller
    reseller.attachment_quota_bytes = 100
    reseller.save()
    case = CaseFactory(account=account, opened_by=contact.user)
    first = StagedUploadFactory(owner=contact.user, size=60)
    second = StagedUploadFactory(owner=second_contact.user, size=60)
    inside, release, errors = threading.Event(), threading.Event(), []
    holder = in_open_transaction(
        lambda: services.case_add_attachments(case=case, actor=contact.user, staged=[first], logs_sanitized=True),
        inside, release, errors,
    )
    assert inside.wait(30) and not errors, errors
    late, outcome = blocked_call(lambda: services.case_add_attachments(
        case=Case.objects.get(pk=case.pk), actor=second_contact.user, staged=[second], logs_sanitized=True,
    ))
    late.join(1)
    assert late.is_alive(), "the second upload waits for the first's lock on the reseller"
    release.set()
    holder.join(30)
    late.join(30)

    assert len(outcome) == 1 and isinstance(outcome[0], ValidationError)
    assert "room for 40" in str(outcome[0])
    assert list(Attachment.objects.values_list("size", flat=True)) == [60]
    assert StagedUpload.objects.filter(pk=second.pk).exists()
