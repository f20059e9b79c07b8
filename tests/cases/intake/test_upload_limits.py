"""Bounded uploads: files and bytes per request (kept files counting too), one user's staged total,
and Django's own backstop, each answered on the form with everything typed still there."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Attachment, Case, StagedUpload
from tests.cases.factories import CaseFactory
from tests.cases.intake.factories import StagedUploadFactory

pytestmark = pytest.mark.django_db


def log(name: str, size: int = 40) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (name.encode() + b" line\n" * size)[:size], content_type="text/plain")


def staged_ids(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="staged" value="(\d+)"[^>]*\bchecked\b', body)]


def batch_of(body: str) -> str:
    match = re.search(r'name="staged_batch" value="([0-9a-f]{32})"', body)
    assert match, "the form carries its batch token"
    return match.group(1)


@pytest.fixture
def client(client_for, contact):  # type: ignore[no-untyped-def]
    return client_for(contact.user)


@pytest.fixture
def case(account, contact) -> Case:
    return CaseFactory(account=account, opened_by=contact.user)


@pytest.mark.parametrize("memory_limit", [2_621_440, 8], ids=["in-memory", "temporary-files"])
def test_one_file_too_many_comes_back_on_the_form_with_everything_typed(
    client, intake_post, settings, memory_limit
):
    settings.ATTACHMENT_MAX_FILES_PER_REQUEST = 3
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = memory_limit
    files = [log(f"part{n}.log") for n in range(4)]
    response = client.post("/cases/new/", {**intake_post, "subject": "Four files", "attachments": files,
                                           "logs_sanitized": "on"})
    assert response.status_code == 200
    assert not Case.objects.exists()
    body = response.content.decode()
    assert "1 file was not received (part3.log): at most 3 files can be sent at once" in body
    assert 'value="Four files"' in body  # what was typed is still there
    assert 'value="New York contact centre"' in body
    staged = list(StagedUpload.objects.order_by("pk"))
    assert [item.original_name for item in staged] == ["part0.log", "part1.log", "part2.log"]
    assert staged_ids(body) == [item.pk for item in staged]
    # The accepted files are whole: refusing the fourth did not close or truncate them.
    assert [item.file.open("rb").read() for item in staged] == [log(f"part{n}.log").read() for n in range(3)]


def test_bytes_over_the_request_total_come_back_on_the_form(client, intake_post, settings):
    settings.ATTACHMENT_MAX_REQUEST_BYTES = 100
    response = client.post("/cases/new/", {
        **intake_post, "attachments": [log("first.log", 60), log("second.log", 60)], "logs_sanitized": "on",
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 file was not received (second.log): the files sent at once may total at most 100\xa0bytes" in body
    assert [item.original_name for item in StagedUpload.objects.all()] == ["first.log"]
    assert not Case.objects.exists()


def test_files_kept_from_the_last_attempt_count_against_the_limits(client, intake_post, settings):
    settings.ATTACHMENT_MAX_FILES_PER_REQUEST = 3
    # Without the confirmation the form goes back, keeping both files.
    first = client.post("/cases/new/", {**intake_post, "attachments": [log("a.log"), log("b.log")]})
    kept = staged_ids(first.content.decode())
    assert len(kept) == 2
    second = client.post("/cases/new/", {
        **intake_post, "staged": [str(pk) for pk in kept], "staged_batch": batch_of(first.content.decode()),
        "attachments": [log("c.log"), log("d.log")], "logs_sanitized": "on",
    })
    assert second.status_code == 200
    assert "1 file was not received (d.log)" in second.content.decode()
    assert sorted(StagedUpload.objects.values_list("original_name", flat=True)) == ["a.log", "b.log", "c.log"]


def test_one_file_too_many_on_the_case_page(client, case, settings):
    settings.ATTACHMENT_MAX_FILES_PER_REQUEST = 2
    response = client.post(f"/cases/{case.number}/attachments/", {
        "attachments": [log("x.log"), log("y.log"), log("z.log")], "logs_sanitized": "on",
    })
    assert response.status_code == 400
    assert "1 file was not received (z.log): at most 2 files can be sent at once" in response.content.decode()
    assert not Attachment.objects.exists()
    assert StagedUpload.objects.count() == 2


def test_many_refused_files_are_summed_up_not_listed_one_by_one(client, case, settings):
    settings.ATTACHMENT_MAX_FILES_PER_REQUEST = 1
    files = [log(f"f{n}.log") for n in range(9)]
    response = client.post(f"/cases/{case.number}/attachments/", {"attachments": files, "logs_sanitized": "on"})
    body = response.content.decode()
    assert "8 files were not received (f1.log, f2.log, f3.log, f4.log, f5.log and 3 more)" in body


def test_one_users_staged_files_are_capped_across_forms(client, intake_post, contact, settings):
    settings.ATTACHMENT_MAX_STAGED_BYTES_PER_USER = 100
    StagedUploadFactory(owner=contact.user, size=80, batch="a" * 32)  # another tab's form
    response = client.post("/cases/new/", {**intake_post, "attachments": [log("more.log", 30)]})
    assert response.status_code == 200
    assert "1 file was not received (more.log): files waiting in your unfinished forms" in response.content.decode()
    assert StagedUpload.objects.count() == 1


def test_past_djangos_backstop_the_user_gets_the_page_back_with_a_message(client, case, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 5
    page = f"http://testserver/cases/{case.number}/"
    response = client.post(
        f"/cases/{case.number}/attachments/", {"attachments": [log(f"n{n}.log") for n in range(6)]},
        headers={"referer": page}, follow=True,
    )
    assert response.redirect_chain == [(page, 302)]
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your form was not received: it had more than 5 files. At most 10 files can be sent at once." in body
    assert "Bad Request" not in body
    assert not StagedUpload.objects.exists()


def test_past_the_backstop_a_foreign_referer_is_not_followed(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    response = client.post("/cases/new/", {"attachments": [log("a.log"), log("b.log")]},
                           headers={"referer": "https://evil.example/phish"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/new/"


def test_the_issues_101_files_now_get_the_form_back_not_a_bare_400(client, intake_post):
    """Issue 9 sent 101 files and got "Bad Request (400)"; with the default limits the form returns."""
    files = [log(f"shot{n:03}.log", 20) for n in range(101)]
    response = client.post("/cases/new/", {**intake_post, "subject": "Folder of logs", "attachments": files,
                                           "logs_sanitized": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "91 files were not received (shot010.log, shot011.log, shot012.log, shot013.log, shot014.log" in body
    assert "and 86 more): at most 10 files can be sent at once" in body
    assert 'value="Folder of logs"' in body
    assert StagedUpload.objects.count() == 10
    assert not Case.objects.exists()


def test_a_reader_cannot_stage_files(reader, reseller):
    from django.core.exceptions import PermissionDenied

    from cases.intake.staging import staged_uploads_receive

    with pytest.raises(PermissionDenied):
        staged_uploads_receive(owner=reader.user, reseller=reseller, batch="a" * 32, keep_ids=[],
                               uploads=[log("a.log")])
    assert not StagedUpload.objects.exists()
