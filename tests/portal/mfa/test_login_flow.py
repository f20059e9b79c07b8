"""Password, then the MFA step, then a new session id; a code works once."""

from __future__ import annotations

import logging
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from portal.audit.models import AuditEvent, AuditKind
from portal.mfa import services
from tests.portal.factories import TEST_PASSWORD
from tests.portal.mfa.conftest import RECOVERY_CODES

pytestmark = pytest.mark.django_db


def _sign_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def test_password_then_mfa_step_then_a_new_session_id(enrolled_contact, current_code):
    user = enrolled_contact.user
    client = _sign_in(user)
    for path in ("/", "/cases/", "/profile/", "/accounts/password_change/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/mfa/?next="), path
    page = client.get("/accounts/mfa/?next=/cases/").content.decode()
    assert re.search(r'<label\s+for="id_code"', page)
    assert 'href="/cases/"' not in page  # no navigation to pages the step would bounce back from
    before = client.session.session_key

    response = client.post("/accounts/mfa/", {"code": current_code(user), "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.session.session_key != before
    assert client.get("/cases/").status_code == 200
    assert client.get("/profile/").status_code == 200


def test_a_replayed_totp_code_is_refused(enrolled_contact, current_code):
    user = enrolled_contact.user
    code = current_code(user)
    first = _sign_in(user)
    assert first.post("/accounts/mfa/", {"code": code})["Location"] == "/"

    second = _sign_in(user)
    response = second.post("/accounts/mfa/", {"code": code})
    assert response.status_code == 200
    assert "used already" in response.content.decode()
    assert second.get("/")["Location"].startswith("/accounts/mfa/")
    with pytest.raises(ValidationError):
        services.mfa_verify(user=user, token=code)


def test_a_recovery_code_works_once(enrolled_contact):
    user = enrolled_contact.user
    first = _sign_in(user)
    assert first.post("/accounts/mfa/", {"code": RECOVERY_CODES[0].upper()}).status_code == 302
    assert first.get("/").status_code == 200
    page = first.get("/profile/").content.decode()
    assert "1 recovery code left" in page

    second = _sign_in(user)
    response = second.post("/accounts/mfa/", {"code": RECOVERY_CODES[0]})
    assert response.status_code == 200
    assert second.get("/").status_code == 302


def test_a_foreign_next_is_not_followed(enrolled_contact, current_code):
    client = _sign_in(enrolled_contact.user)
    response = client.post("/accounts/mfa/", {"code": current_code(enrolled_contact.user),
                                              "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_sign_out_stays_open_before_the_step(enrolled_contact):
    client = _sign_in(enrolled_contact.user)
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_mfa_events_are_written_to_the_audit_log(enrolled_contact, current_code, caplog):
    user = enrolled_contact.user
    client = _sign_in(user)
    with caplog.at_level(logging.INFO, logger="portal.audit"):
        client.post("/accounts/mfa/", {"code": "nope-nope"})
        client.post("/accounts/mfa/", {"code": current_code(user)})
    events = [(record.getMessage(), record.user_id, record.method) for record in caplog.records
              if record.name == "portal.audit"]
    assert events == [("mfa_failed", user.pk, "recovery_code"), ("mfa_verified", user.pk, "totp")]
    trail = AuditEvent.objects.filter(kind__startswith="mfa_").order_by("pk")
    assert [(row.kind, row.actor, row.detail["method"]) for row in trail] == [
        (AuditKind.MFA_FAILED, user, "recovery_code"), (AuditKind.MFA_VERIFIED, user, "totp")]
    assert trail[0].reseller == enrolled_contact.reseller and trail[0].path == "/accounts/mfa/"


def test_the_mfa_pages_need_a_password_first(client):
    for path in ("/accounts/mfa/", "/accounts/mfa/enrol/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
