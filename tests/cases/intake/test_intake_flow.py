from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


def test_contact_files_a_case_through_the_form(client_for, contact, second_contact, intake_post,
                                               django_capture_on_commit_callbacks):
    client = client_for(contact.user)
    log = SimpleUploadedFile("agent.log", b"10:00 ERROR login failed code=503\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cases/new/", {**intake_post, "attachments": [log], "logs_sanitized": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.number}/"
    assert case.severity == case.priority == 2
    assert case.attachments.get().original_name == "agent.log"
    assert list(case.events.values_list("kind", flat=True)) == [CaseEvent.Kind.CREATED, CaseEvent.Kind.ATTACHMENT]
    # One message per reader: each Designated Contact's receipt, and the care queue's new-case notice.
    assert sorted(message.to for message in mail.outbox) == sorted(
        [[contact.user.email], [second_contact.user.email], [settings.CARE_QUEUE_EMAIL]]
    )
    page = client.get(f"/cases/{case.number}/")
    assert page.status_code == 200
    assert "agent.log" in page.content.decode()
