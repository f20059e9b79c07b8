"""Each reseller's attachment storage: refused past its quota (its own or the default), counted per
reseller only, and announced in words on the case page from ATTACHMENT_QUOTA_WARN_PERCENT on."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.intake import services
from cases.intake.quota import storage_use_of
from cases.models import Attachment, Case, StagedUpload
from tests.cases.factories import CaseFactory
from tests.cases.intake.factories import AttachmentFactory, StagedUploadFactory
from tests.portal.factories import EndUserAccountFactory, ResellerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(account, contact) -> Case:
    return CaseFactory(account=account, opened_by=contact.user)


@pytest.fixture
def client(client_for, contact):  # type: ignore[no-untyped-def]
    return client_for(contact.user)


def test_an_upload_past_the_resellers_quota_is_refused_on_the_case_page(client, case, reseller):
    reseller.attachment_quota_bytes = 100
    reseller.save()
    AttachmentFactory(case=case, size=90)
    response = client.post(f"/cases/{case.number}/attachments/", {
        "attachments": [SimpleUploadedFile("more.log", b"x" * 20, content_type="text/plain")],
        "logs_sanitized": "on",
    })
    assert response.status_code == 400
    body = response.content.decode()
    assert "1 file was not received (more.log)." in body
    assert "has room for 10\xa0bytes more (90\xa0bytes of 100\xa0bytes is used)" in body
    assert Attachment.objects.count() == 1
    assert not StagedUpload.objects.exists()


def test_the_default_quota_applies_when_the_reseller_has_none(client, case, settings):
    settings.ATTACHMENT_QUOTA_BYTES_PER_RESELLER = 50
    response = client.post(f"/cases/{case.number}/attachments/", {
        "attachments": [SimpleUploadedFile("big.log", b"x" * 60, content_type="text/plain")],
        "logs_sanitized": "on",
    })
    assert response.status_code == 400
    assert "has room for 50\xa0bytes more" in response.content.decode()


def test_the_service_refuses_what_does_not_fit_even_when_staged_earlier(case, contact, reseller):
    staged = StagedUploadFactory(owner=contact.user, size=30)
    AttachmentFactory(case=case, size=80)
    reseller.attachment_quota_bytes = 100
    reseller.save()
    with pytest.raises(ValidationError, match="were not added. Your reseller's file storage has room for 20"):
        services.case_add_attachments(case=case, actor=contact.user, staged=[staged], logs_sanitized=True)
    assert Attachment.objects.count() == 1
    assert StagedUpload.objects.filter(pk=staged.pk).exists()  # kept for another try


def test_usage_counts_only_the_resellers_own_cases(case, reseller):
    other = ResellerFactory(name="Elsewhere")
    AttachmentFactory(case=case, size=40)
    AttachmentFactory(case=CaseFactory(account=EndUserAccountFactory(reseller=other)), size=1000)
    assert storage_use_of(reseller).used == 40
    assert storage_use_of(other).used == 1000


def test_the_case_page_says_when_storage_is_nearly_full(client, case, reseller, reader, client_for):
    reseller.attachment_quota_bytes = 1000
    reseller.save()
    AttachmentFactory(case=case, size=799)
    assert "file storage is nearly full" not in client.get(f"/cases/{case.number}/").content.decode()

    AttachmentFactory(case=case, size=51)
    body = client.get(f"/cases/{case.number}/").content.decode()
    assert ("Your reseller's file storage is nearly full: 850\xa0bytes of 1000\xa0bytes is used "
            "(85 percent).") in body
    # Readers see it too: it explains why a Designated Contact's upload may be refused.
    assert "file storage is nearly full" in client_for(reader.user).get(f"/cases/{case.number}/").content.decode()


def test_the_case_page_says_when_storage_is_full(client, case, reseller):
    reseller.attachment_quota_bytes = 100
    reseller.save()
    AttachmentFactory(case=case, size=100)
    body = client.get(f"/cases/{case.number}/").content.decode()
    assert "Your reseller's file storage is full: 100\xa0bytes of 100\xa0bytes is used" in body


def test_the_new_case_form_warns_too(client, reseller, case):
    reseller.attachment_quota_bytes = 100
    reseller.save()
    AttachmentFactory(case=case, size=95)
    assert "file storage is nearly full" in client.get("/cases/new/").content.decode()
