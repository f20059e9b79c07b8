"""ATTACHMENT_STORAGE_URL read into S3Storage options; a bad URL stops the start naming the
variable and never echoing the secret."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.storage_url import s3_storage_options


def test_empty_means_the_local_folder():
    assert s3_storage_options("ATTACHMENT_STORAGE_URL", "") is None


def test_a_loopback_store_without_tls():
    options = s3_storage_options(
        "ATTACHMENT_STORAGE_URL", "s3://AKID:se%2Fcr%40et@127.0.0.1:8333/portal/attachments/?region=eu-west-1&secure=0"
    )
    assert options is not None
    assert options["access_key"] == "AKID"
    assert options["secret_key"] == "se/cr@et"
    assert options["bucket_name"] == "portal"
    assert options["location"] == "attachments"
    assert options["endpoint_url"] == "http://127.0.0.1:8333"
    assert options["region_name"] == "eu-west-1"
    assert options["addressing_style"] == "path"
    assert options["use_ssl"] is False
    assert options["default_acl"] is None


def test_no_host_means_aws_itself_over_tls():
    options = s3_storage_options("ATTACHMENT_STORAGE_URL", "s3://AKID:secret@/portal-files?region=us-east-1")
    assert options is not None
    assert "endpoint_url" not in options
    assert options["use_ssl"] is True
    assert options["location"] == ""


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://AKID:hunter2@host/bucket", "scheme"),
        ("s3://AKID:hunter2@host:9000/", "names no bucket"),
        ("s3://host:9000/bucket", "access key"),
        ("s3://AKID:hunter2@host:9000/bucket?secure=maybe", "secure must be"),
        ("s3://AKID:hunter2@host:9000/bucket?acl=public-read", "unknown parameter"),
        ("s3://AKID:hunter2@host:port/bucket", "port"),
    ],
)
def test_a_bad_url_names_the_variable_not_the_secret(url, why):
    with pytest.raises(ImproperlyConfigured, match=why) as refused:
        s3_storage_options("ATTACHMENT_STORAGE_URL", url)
    assert "ATTACHMENT_STORAGE_URL" in str(refused.value)
    assert "hunter2" not in str(refused.value)
