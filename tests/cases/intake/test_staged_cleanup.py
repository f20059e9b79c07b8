"""Staged uploads do not pile up: an abandoned form's files go after STAGED_UPLOAD_MAX_AGE_HOURS
(rows and stored files), an unticked file goes at once, and another open form's files stay."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.intake import services
from cases.intake.staging import staged_uploads_purge
from cases.models import Case, StagedUpload, private_storage
from tests.cases.intake.factories import StagedUploadFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2031, 3, 4, 12, 0, tzinfo=UTC)


def staged_at(moment: datetime, **kwargs: object) -> StagedUpload:
    item = StagedUploadFactory(**kwargs)
    StagedUpload.objects.filter(pk=item.pk).update(created_at=moment)  # auto_now_add ignores a given value
    item.refresh_from_db()
    return item


def test_purge_removes_old_staged_uploads_with_their_files_and_keeps_young_ones(
    settings, django_capture_on_commit_callbacks
):
    settings.STAGED_UPLOAD_MAX_AGE_HOURS = 24
    old = staged_at(NOW - timedelta(hours=24, minutes=1))
    young = staged_at(NOW - timedelta(hours=23, minutes=59))
    assert private_storage.exists(old.file.name) and private_storage.exists(young.file.name)

    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows' deletion commits
        assert staged_uploads_purge(now=NOW) == 1

    assert list(StagedUpload.objects.all()) == [young]
    assert not private_storage.exists(old.file.name)
    assert private_storage.exists(young.file.name)
    assert staged_uploads_purge(now=NOW) == 0  # nothing left to do; the young one waits its turn


def test_purge_follows_the_setting(settings):
    settings.STAGED_UPLOAD_MAX_AGE_HOURS = 2
    item = staged_at(NOW - timedelta(hours=3))
    assert staged_uploads_purge(now=NOW) == 1
    assert not StagedUpload.objects.filter(pk=item.pk).exists()


def test_the_beat_runs_the_purge_task():
    from django.conf import settings

    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["staged-uploads-purge"]
    assert entry["task"] in app.tasks
    assert entry["task"] == "cases.intake.tasks.purge_staged_uploads"


def test_a_file_purged_while_its_form_waited_is_reported_not_attached(intake, contact):
    item = staged_at(NOW - timedelta(days=2), owner=contact.user)
    staged_uploads_purge(now=NOW)
    with pytest.raises(ValidationError, match="waited too long and was deleted"):
        services.case_create(contact=contact.user, details=intake, staged=[item], logs_sanitized=True)
    assert not Case.objects.exists()


# --- abandoned within the form: unticked files go at once, other forms' files stay ---------------


def _log(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"plain log line\n", content_type="text/plain")


def _form_state(body: str) -> tuple[str, list[int]]:
    batch = re.search(r'name="staged_batch" value="([0-9a-f]{32})"', body)
    assert batch
    return batch.group(1), [int(pk) for pk in re.findall(r'name="staged" value="(\d+)"[^>]*\bchecked\b', body)]


def test_unticked_staged_files_are_deleted_at_once_and_another_forms_are_not(
    client_for, contact, intake_post, django_capture_on_commit_callbacks
):
    client = client_for(contact.user)
    other_tab = StagedUploadFactory(owner=contact.user, batch="f" * 32)
    # No confirmation ticked: the form goes back and keeps both files.
    first = client.post("/cases/new/", {**intake_post, "attachments": [_log("keep.log"), _log("drop.log")]})
    batch, ids = _form_state(first.content.decode())
    keep, drop = (StagedUpload.objects.get(pk=pk) for pk in ids)
    assert (keep.original_name, drop.original_name) == ("keep.log", "drop.log")

    with django_capture_on_commit_callbacks(execute=True):
        second = client.post("/cases/new/", {**intake_post, "staged_batch": batch, "staged": [str(keep.pk)],
                                             "subject": "Still not confirmed"})
    assert second.status_code == 200
    assert not StagedUpload.objects.filter(pk=drop.pk).exists()
    assert not private_storage.exists(drop.file.name)
    assert StagedUpload.objects.filter(pk=other_tab.pk).exists()
    assert private_storage.exists(other_tab.file.name)

    third = client.post("/cases/new/", {**intake_post, "staged_batch": batch, "staged": [str(keep.pk)],
                                        "logs_sanitized": "on"})
    assert third.status_code == 302
    assert [a.original_name for a in Case.objects.get().attachments.all()] == ["keep.log"]
    assert private_storage.exists(keep.file.name)  # now the attachment's file
    assert list(StagedUpload.objects.all()) == [other_tab]


def test_a_kept_file_that_was_purged_is_reported_on_the_form(client_for, contact, intake_post):
    client = client_for(contact.user)
    item = staged_at(NOW - timedelta(days=2), owner=contact.user)
    staged_uploads_purge(now=NOW)
    response = client.post("/cases/new/", {**intake_post, "staged": [str(item.pk)], "logs_sanitized": "on"})
    assert response.status_code == 200
    assert ("A file kept from your last attempt is no longer available (unfinished forms are cleared after 24 "
            "hours): choose it again.") in response.content.decode()
    assert not Case.objects.exists()


def test_someone_elses_staged_file_cannot_be_kept_or_discarded(client_for, contact, second_contact, intake_post):
    theirs = StagedUploadFactory(owner=second_contact.user, batch="e" * 32)
    client = client_for(contact.user)
    client.post("/cases/new/", {**intake_post, "staged_batch": "e" * 32, "staged": [str(theirs.pk)]})
    assert StagedUpload.objects.filter(pk=theirs.pk, owner=second_contact.user).exists()
    assert private_storage.exists(theirs.file.name)
