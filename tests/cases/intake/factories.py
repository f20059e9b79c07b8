"""Files on cases: stored attachments and staged uploads, each with a real file in the storage."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from cases.models import Attachment, StagedUpload
from tests.cases.factories import CaseFactory
from tests.portal.factories import UserFactory

LOG_BYTES = b"2024-03-01 09:15:22 ERROR login failed code=503\n"


class StagedUploadFactory(DjangoModelFactory):
    class Meta:
        model = StagedUpload

    owner = factory.SubFactory(UserFactory)
    file = factory.django.FileField(filename="staged.log", data=LOG_BYTES)
    original_name = "staged.log"
    size = len(LOG_BYTES)
    batch = ""


class AttachmentFactory(DjangoModelFactory):
    """`size` is what the quota counts; set it freely, the stored file stays small."""

    class Meta:
        model = Attachment

    case = factory.SubFactory(CaseFactory)
    uploaded_by = factory.SelfAttribute("case.opened_by")
    file = factory.django.FileField(filename="kept.log", data=LOG_BYTES)
    original_name = "kept.log"
    size = len(LOG_BYTES)
    sanitized_confirmed = True
