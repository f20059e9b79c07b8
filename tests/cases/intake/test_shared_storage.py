"""Attachments on S3-compatible storage (ATTACHMENT_STORAGE_URL), against a real S3 endpoint on
loopback: moto's server, started by this test in its own process group and stopped by its PID.
(SeaweedFS was the first choice; Debian 12 does not package it.) The files go to the bucket and
not to the local folder, and still leave only through the access-checked view."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.intake.staging import staged_uploads_purge
from cases.models import Case, StagedUpload, private_storage
from portal.storage_url import s3_storage_options
from tests.real_services import free_port, port_open, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db]

BUCKET = "portal-attachments"
LOG = b"2024-03-01 09:15:22,123 ERROR trunk 4 dropped the call, code=503\n" * 50


@pytest.fixture
def s3_bucket(settings, tmp_path: Path) -> Iterator[Any]:
    """A moto S3 server on a free loopback port (S3_TEST_PORT picks one), a private bucket in it,
    and the portal's storage pointed there. Yields a boto3 client to look into the bucket."""
    if importlib.util.find_spec("moto") is None or importlib.util.find_spec("flask") is None:
        pytest.skip("needs moto's server: pip install 'moto[server]' (the test extra has it)")
    import boto3

    port = int(os.environ.get("S3_TEST_PORT") or free_port())
    assert not port_open(port), f"port {port} is taken"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        assert wait_for(lambda: port_open(port), 30), "moto's S3 server did not start"
        url = f"s3://portal-key:portal%2Fsecret@127.0.0.1:{port}/{BUCKET}?region=us-east-1&secure=0"
        options = s3_storage_options("ATTACHMENT_STORAGE_URL", url)
        assert options is not None
        client = boto3.client(
            "s3", endpoint_url=options["endpoint_url"], region_name="us-east-1",
            aws_access_key_id="portal-key", aws_secret_access_key="portal/secret",
        )
        client.create_bucket(Bucket=BUCKET)
        settings.ATTACHMENT_STORAGE_URL = url
        settings.ATTACHMENT_S3_OPTIONS = options
        private_storage.reset()
        yield client
    finally:
        private_storage.reset()  # back to the local folder once the settings are restored
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)


def _keys(client: Any) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_an_attachment_goes_to_the_bucket_and_comes_back_only_through_the_view(
    s3_bucket, settings, client_for, contact, other_contact, intake_post
):
    owner = client_for(contact.user)
    response = owner.post("/cases/new/", {
        **intake_post, "attachments": [SimpleUploadedFile("trunk.log", LOG, content_type="text/plain")],
        "logs_sanitized": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = Case.objects.get().attachments.get()

    assert attachment.file.name in _keys(s3_bucket)
    stored = s3_bucket.get_object(Bucket=BUCKET, Key=attachment.file.name)
    assert stored["Body"].read() == LOG
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / attachment.file.name).exists()

    url = f"/cases/{attachment.case.number}/attachments/{attachment.pk}/"
    download = owner.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == LOG
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Cache-Control"] == "private, no-store"
    assert "amazonaws" not in download.get("Location", "") and not download.has_header("Location")

    assert client_for(other_contact.user).get(url).status_code == 404


def test_staged_uploads_live_in_the_bucket_and_the_purge_deletes_them_there(
    s3_bucket, client_for, contact, intake_post, django_capture_on_commit_callbacks
):
    # Not confirmed as sanitized: the form goes back and the file is staged, in the bucket.
    response = client_for(contact.user).post("/cases/new/", {
        **intake_post, "attachments": [SimpleUploadedFile("held.log", LOG, content_type="text/plain")],
    })
    assert response.status_code == 200
    staged = StagedUpload.objects.get()
    assert staged.file.name in _keys(s3_bucket)

    with django_capture_on_commit_callbacks(execute=True):
        assert staged_uploads_purge(now=staged.created_at + timedelta(hours=25)) == 1
    assert staged.file.name not in _keys(s3_bucket)
