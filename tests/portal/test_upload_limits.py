"""portal.upload_limits.BoundedUploadHandler on a real multipart body: files past the totals are
never stored, arrive as empty RefusedUploads, and the fields after them are still read."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from portal.upload_limits import RefusedUpload, refused_uploads


def parsed(data: dict[str, object]):  # type: ignore[no-untyped-def]
    request = RequestFactory().post("/anywhere/", data)
    return request.POST, request.FILES.getlist("attachments")


@pytest.mark.parametrize("memory_limit", [2_621_440, 8], ids=["in-memory", "temporary-files"])
def test_files_past_the_count_are_refused_and_later_fields_still_read(settings, memory_limit):
    settings.ATTACHMENT_MAX_FILES_PER_REQUEST = 2
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = memory_limit
    files = [SimpleUploadedFile(f"f{n}.log", f"content {n}\n".encode() * 3) for n in range(4)]
    post, uploads = parsed({"subject": "typed", "attachments": files, "after": "still here"})
    received, refused = refused_uploads(uploads)
    assert [upload.read() for upload in received] == [b"content 0\n" * 3, b"content 1\n" * 3]
    assert [(item.name, item.refused_because, item.size) for item in refused] == [
        ("f2.log", RefusedUpload.TOO_MANY, 0), ("f3.log", RefusedUpload.TOO_MANY, 0),
    ]
    assert post["subject"] == "typed" and post["after"] == "still here"


@pytest.mark.parametrize("memory_limit", [2_621_440, 8], ids=["in-memory", "temporary-files"])
def test_a_file_that_would_pass_the_byte_total_is_refused_and_a_smaller_one_after_it_fits(settings, memory_limit):
    settings.ATTACHMENT_MAX_REQUEST_BYTES = 100
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = memory_limit
    files = [SimpleUploadedFile("a.log", b"a" * 60), SimpleUploadedFile("big.log", b"b" * 70),
             SimpleUploadedFile("c.log", b"c" * 30)]
    post, uploads = parsed({"attachments": files, "after": "read"})
    received, refused = refused_uploads(uploads)
    assert [(upload.name, upload.read()) for upload in received] == [("a.log", b"a" * 60), ("c.log", b"c" * 30)]
    assert [(item.name, item.refused_because) for item in refused] == [("big.log", RefusedUpload.TOO_LARGE)]
    assert post["after"] == "read"
