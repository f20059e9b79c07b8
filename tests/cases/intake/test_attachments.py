"""Files people send: size and type rules, server-made names, private storage, the download view,
the customer-data scan with its hold-back-and-confirm flow, and cases/logscan.py itself."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.intake import attachments as rules
from cases.intake import services
from cases.intake.logscan import scan_text, scan_upload
from cases.models import Attachment, Case, CaseEvent, StagedUpload
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

CLEAN_LOG = b"2024-03-01 09:15:22,123 ERROR login failed code=503 from 172.16.254.1\n"
PII_LOG = (
    b"2024-03-01 09:15:22 INFO agent jane.doe@example.com signed in\n"
    b"2024-03-01 09:16:01 INFO caller +1 212 555 0111 queued\n"
    b"2024-03-01 09:17:45 INFO payment card 4111 1111 1111 1111 declined\n"
)
STORED_NAME = re.compile(r"^uploads/[0-9a-f]{32}\.[a-z0-9]+$")


def log(name: str = "agent.log", content: bytes = CLEAN_LOG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


@pytest.fixture
def case(account, contact) -> Case:
    return CaseFactory(account=account, opened_by=contact.user)


@pytest.fixture
def client(client_for, contact):  # type: ignore[no-untyped-def]
    return client_for(contact.user)


def _private_root() -> Path:
    return Path(django_settings.PRIVATE_MEDIA_ROOT).resolve()


def _assert_stored_privately(stored_name: str) -> Path:
    assert STORED_NAME.match(stored_name), stored_name
    path = (_private_root() / stored_name).resolve()
    assert path.is_file()
    assert path.is_relative_to(_private_root())
    return path


def _upload(client, case: Case, files: list[SimpleUploadedFile], **extra: Any):  # type: ignore[no-untyped-def]
    return client.post(f"/cases/{case.number}/attachments/", {"attachments": files, **extra})


def _staged_ids(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="staged" value="(\d+)"[^>]*\bchecked\b', body)]


# --- size and type --------------------------------------------------------------------------------


def test_oversized_file_is_refused(client, case, settings):
    settings.ATTACHMENT_MAX_BYTES = 64
    response = _upload(client, case, [log("big.log", b"x" * 65)], logs_sanitized="on")
    assert response.status_code == 400
    assert "big.log is larger than the 64\xa0bytes limit" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not StagedUpload.objects.exists()


def test_file_at_the_limit_is_accepted(client, case, settings):
    settings.ATTACHMENT_MAX_BYTES = 64
    response = _upload(client, case, [log("edge.log", b"x" * 64)], logs_sanitized="on")
    assert response.status_code == 302
    assert case.attachments.get().size == 64


def test_oversized_file_is_refused_on_a_new_case(client, intake_post, settings):
    settings.ATTACHMENT_MAX_BYTES = 64
    response = client.post("/cases/new/", {**intake_post, "attachments": [log("big.log", b"x" * 65)],
                                           "logs_sanitized": "on"})
    assert response.status_code == 200
    assert "big.log is larger than" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00\x03" + b"\x00" * 40, "files of this type are not accepted"),
        ("script.sh", b"echo hi\n", "files of this type are not accepted"),
        ("noextension", b"plain text\n", "files of this type are not accepted"),
        ("agent.log", b"\x7fELF\x02\x01\x01" + b"\x00" * 40, "looks like a program"),
        ("agent.txt", b"MZ\x90\x00\x03" + b"\x00" * 40, "looks like a program"),
        ("trace.log", b"#!/bin/sh\nrm -rf /\n", "looks like a program"),
        ("empty.log", b"", "is empty"),
    ],
)
def test_wrong_type_is_refused(name, content, message, client, case):
    response = _upload(client, case, [SimpleUploadedFile(name, content)], logs_sanitized="on")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert not StagedUpload.objects.exists()


# --- names: server-made, private, shown by basename only ------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.log", "passwd.log"),
        ("..\\..\\win.log", "win.log"),
        ("C:\\Users\\pat\\agent.log", "agent.log"),
        ("/var/log/../../etc/shadow.txt", "shadow.txt"),
        ("bad\x00na\x07me\x1b.log", "badname.log"),
        ("line\r\nbreak\t.log", "linebreak.log"),
        ("...hidden.log", "hidden.log"),
    ],
)
def test_clean_original_name_keeps_only_a_basename(raw, shown):
    assert rules.clean_original_name(raw) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.log", "passwd.log"),
        ("..\\..\\win.log", "win.log"),
        ("ctl\x01\x02\x1fname.log", "ctlname.log"),
    ],
)
def test_upload_stage_stores_under_a_server_name_inside_private_root(raw, shown, contact):
    upload = log()
    upload._name = raw  # bypass UploadedFile's own basename so the app's rules are what is tested
    staged = services.upload_stage(owner=contact.user, upload=upload)
    assert staged.original_name == shown
    path = _assert_stored_privately(staged.file.name)
    assert path.read_bytes() == CLEAN_LOG
    assert shown not in staged.file.name
    assert ".." not in staged.file.name


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.log", "passwd.log"),
        ("..\\..\\win.log", "win.log"),
        ("tab\tand\x01ctl.log", "tabandctl.log"),
    ],
)
def test_path_tricks_through_the_portal_are_shown_by_basename(raw, shown, client, case):
    response = _upload(client, case, [log(raw)], logs_sanitized="on")
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = case.attachments.get()
    assert attachment.original_name == shown
    _assert_stored_privately(attachment.file.name)
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert f">{shown}</a>" in page
    assert "etc/passwd" not in page and "..\\" not in page and "\x01" not in page
    download = client.get(f"/cases/{case.number}/attachments/{attachment.pk}/")
    assert f'filename="{shown}"' in download["Content-Disposition"]


def test_two_uploads_with_the_same_name_do_not_overwrite_each_other(client, case):
    _upload(client, case, [log("agent.log", b"first\n")], logs_sanitized="on")
    _upload(client, case, [log("agent.log", b"second\n")], logs_sanitized="on")
    first, second = case.attachments.order_by("pk")
    assert first.file.name != second.file.name
    assert _assert_stored_privately(first.file.name).read_bytes() == b"first\n"
    assert _assert_stored_privately(second.file.name).read_bytes() == b"second\n"


# --- download and direct URLs ---------------------------------------------------------------------


@pytest.fixture
def html_attachment(client, case) -> Attachment:
    """A file a browser would happily render if it were ever served inline."""
    response = _upload(client, case, [log("report.txt", b"<html><script>alert(1)</script></html>")],
                       logs_sanitized="on")
    assert response.status_code == 302
    return case.attachments.get()


def test_download_is_a_forced_attachment_with_nosniff(client, case, html_attachment):
    response = client.get(f"/cases/{case.number}/attachments/{html_attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="report.txt"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"<html><script>alert(1)</script></html>"


@pytest.mark.parametrize(
    "template",
    [
        "/media/{name}",
        "/media/uploads/{base}",
        "/private/{name}",
        "/uploads/{base}",
        "/static/{name}",
        "/static/../var/private/{name}",
        "/static/%2e%2e/var/private/{name}",
        "/static/..%2fvar%2fprivate%2f{name}",
        "/var/private/{name}",
        "/{name}",
    ],
)
def test_no_direct_url_reaches_a_stored_file(template, client, case, html_attachment):
    name = html_attachment.file.name
    url = template.format(name=name, base=name.split("/", 1)[1])
    response = client.get(url)
    assert response.status_code == 404
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"alert(1)" not in content


def test_private_root_is_outside_static_roots():
    root = _private_root()
    for static in [Path(django_settings.STATIC_ROOT), *map(Path, django_settings.STATICFILES_DIRS)]:
        assert not root.is_relative_to(static.resolve())


# --- the customer-data scan on a new case ---------------------------------------------------------


def test_log_with_customer_data_is_held_back_then_goes_through_when_confirmed(client, intake_post, contact):
    first = client.post("/cases/new/", {
        **intake_post, "subject": "Held back but kept", "attachments": [log("calls.log", PII_LOG)],
        "logs_sanitized": "on",
    })
    assert first.status_code == 200
    assert not Case.objects.exists()
    staged = StagedUpload.objects.get()
    assert staged.owner == contact.user
    assert {finding["kind"] for finding in staged.scan_findings} == {"email", "phone", "card"}
    _assert_stored_privately(staged.file.name)
    body = first.content.decode()
    assert "looks like customer data" in body
    assert "email addresses" in body and "phone numbers" in body and "card numbers" in body
    assert "jane.doe@example.com" not in body  # findings are masked, not echoed
    assert "4111 1111 1111 1111" not in body
    assert _staged_ids(body) == [staged.pk]  # the file is offered again, ticked
    assert "calls.log" in body
    assert 'value="Held back but kept"' in body  # everything typed is still there
    assert 'value="New York contact centre"' in body

    second = client.post("/cases/new/", {
        **intake_post, "subject": "Held back but kept", "staged": [str(staged.pk)], "logs_sanitized": "on",
    })
    assert second.status_code == 302, second.content.decode()[:3000]
    case = Case.objects.get()
    attachment = case.attachments.get()
    assert attachment.original_name == "calls.log"
    assert attachment.sanitized_confirmed is True
    assert attachment.scan_findings == staged.scan_findings
    assert attachment.file.name == staged.file.name
    assert _assert_stored_privately(attachment.file.name).read_bytes() == PII_LOG
    assert not StagedUpload.objects.exists()
    assert case.events.filter(kind=CaseEvent.Kind.ATTACHMENT, attachment=attachment).exists()


def test_staged_file_can_be_left_out_on_resubmit(client, intake_post):
    client.post("/cases/new/", {**intake_post, "attachments": [log("calls.log", PII_LOG)], "logs_sanitized": "on"})
    response = client.post("/cases/new/", intake_post)  # unticked: the staged file is not sent back
    assert response.status_code == 302
    assert not Case.objects.get().attachments.exists()


def test_attaching_without_ticking_sanitized_is_refused_with_a_clear_message(client, intake_post):
    response = client.post("/cases/new/", {**intake_post, "attachments": [log()]})
    assert response.status_code == 200
    assert not Case.objects.exists()
    errors = response.context["form"].errors["logs_sanitized"]
    assert errors == ["Confirm the attached logs are free of the end user's customer data."]
    body = response.content.decode()
    assert "Confirm the attached logs are free of the end user&#x27;s customer data." in body
    staged = StagedUpload.objects.get()
    assert _staged_ids(body) == [staged.pk]  # the clean file is kept for the next try


def test_attaching_without_ticking_sanitized_is_refused_on_an_existing_case(client, case):
    response = _upload(client, case, [log()])
    assert response.status_code == 400
    assert "Confirm the attached logs are free of the end user&#x27;s customer data." in response.content.decode()
    assert not Attachment.objects.exists()
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.ATTACHMENT).exists()


def test_one_bad_file_does_not_lose_the_good_ones(client, intake_post):
    files = [log("good.log"), SimpleUploadedFile("evil.exe", b"MZ\x90\x00"), log("screen.png", b"\x89PNG\r\n")]
    first = client.post("/cases/new/", {**intake_post, "attachments": files, "logs_sanitized": "on"})
    assert first.status_code == 200
    assert not Case.objects.exists()
    body = first.content.decode()
    assert "evil.exe: files of this type are not accepted" in body
    kept = StagedUpload.objects.order_by("pk")
    assert [item.original_name for item in kept] == ["good.log", "screen.png"]
    assert _staged_ids(body) == [item.pk for item in kept]

    second = client.post("/cases/new/", {
        **intake_post, "staged": [str(item.pk) for item in kept], "logs_sanitized": "on",
    })
    assert second.status_code == 302
    names = sorted(Case.objects.get().attachments.values_list("original_name", flat=True))
    assert names == ["good.log", "screen.png"]


def test_one_bad_file_does_not_lose_the_good_ones_on_an_existing_case(client, case):
    response = _upload(client, case, [log("good.log"), SimpleUploadedFile("evil.exe", b"MZ\x90")],
                       logs_sanitized="on")
    assert response.status_code == 400
    assert not Attachment.objects.exists()
    staged = StagedUpload.objects.get()
    assert _staged_ids(response.content.decode()) == [staged.pk]
    again = _upload(client, case, [], staged=[str(staged.pk)], logs_sanitized="on")
    assert again.status_code == 302
    assert case.attachments.get().original_name == "good.log"


def test_someone_elses_staged_upload_cannot_be_claimed(client_for, contact, second_contact, case):
    mine = services.upload_stage(owner=contact.user, upload=log("mine.log"))
    response = _upload(client_for(second_contact.user), case, [], staged=[str(mine.pk)], logs_sanitized="on")
    assert response.status_code == 400
    # Told exactly as if the file had been cleared away: nothing is learnt of someone else's files.
    assert "A file kept from your last attempt is no longer available" in response.content.decode()
    assert not Attachment.objects.exists()
    assert StagedUpload.objects.filter(pk=mine.pk).exists()


# --- uploads on an existing case ------------------------------------------------------------------


def test_designated_contact_adds_files_to_a_case_and_history_records_it(client, case, contact):
    response = _upload(client, case, [log("agent.log"), log("second.txt", b"more\n")], logs_sanitized="on")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.number}/"
    attachments = list(case.attachments.order_by("pk"))
    assert [a.original_name for a in attachments] == ["agent.log", "second.txt"]
    assert all(a.uploaded_by == contact.user and a.sanitized_confirmed for a in attachments)
    events = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ATTACHMENT).order_by("pk")
    assert [(e.actor, e.attachment, e.new_value) for e in events] == [
        (contact.user, attachments[0], "agent.log"), (contact.user, attachments[1], "second.txt"),
    ]
    assert not StagedUpload.objects.exists()
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert f"/cases/{case.number}/attachments/{attachments[0].pk}/" in page


def test_existing_case_upload_with_customer_data_is_held_back(client, case):
    response = _upload(client, case, [log("calls.log", PII_LOG)], logs_sanitized="on")
    assert response.status_code == 400
    assert not Attachment.objects.exists()
    staged = StagedUpload.objects.get()
    body = response.content.decode()
    assert "looks like customer data" in body
    assert _staged_ids(body) == [staged.pk]
    again = _upload(client, case, [], staged=[str(staged.pk)], logs_sanitized="on")
    assert again.status_code == 302
    assert case.attachments.get().scan_findings == staged.scan_findings


def test_upload_with_no_file_asks_for_one(client, case):
    response = _upload(client, case, [], logs_sanitized="on")
    assert response.status_code == 400
    assert "Choose at least one file." in response.content.decode()


# --- validate_upload and findings_for directly ----------------------------------------------------


def test_validate_upload_returns_the_clean_name_and_rewinds(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    upload = log("Agent.LOG")
    assert rules.validate_upload(upload) == "Agent.LOG"
    assert upload.read() == CLEAN_LOG  # the magic-number check left the file at its start
    with pytest.raises(ValidationError) as raised:
        rules.validate_upload(log("big.log", b"x" * 1025))
    assert raised.value.code == "file_size"


def test_binary_types_are_not_scanned_for_text():
    assert scan_upload("capture.pcap", b"jane.doe@example.com") == []
    assert scan_upload("photo.png", b"4111 1111 1111 1111") == []
    assert [f.kind for f in scan_upload("trace.HAR", b"jane.doe@example.com")] == ["email"]


def test_server_name_is_random_and_keeps_only_the_extension():
    first, second = rules.server_name("passwd.log"), rules.server_name("passwd.log")
    assert first != second
    assert STORED_NAME.match(first) and first.endswith(".log")
    assert "passwd" not in first


# --- cases/logscan.py -----------------------------------------------------------------------------


def _kinds(text: str) -> set[str]:
    return {finding.kind for finding in scan_text(text)}


@pytest.mark.parametrize(
    "text",
    [
        "agent jane.doe@example.com signed in",
        "from=<Pat.O-Local+queue@mail.example.co.uk>",
    ],
)
def test_emails_are_flagged(text):
    assert _kinds(text) == {"email"}


@pytest.mark.parametrize(
    "text",
    [
        "caller +1 212 555 0111 queued",
        "caller (212) 555-0111 queued",
        "caller +44 20 7946 0958 queued",
        "callback 212.555.0111 requested",
    ],
)
def test_phone_numbers_are_flagged(text):
    assert _kinds(text) == {"phone"}


@pytest.mark.parametrize(
    "text",
    [
        "card 4111 1111 1111 1111 declined",
        "card 4111-1111-1111-1111 declined",
        "card 4111111111111111 declined",
        "card 5500 0000 0000 0004 declined",
        "amex 378282246310005 ok",
    ],
)
def test_luhn_valid_cards_are_flagged(text):
    assert _kinds(text) == {"card"}


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-01 09:15:22,123 ERROR login failed",
        "2024-03-01T09:15:22.123Z start",
        "[01/Mar/2024:09:15:22 +0000] GET /",
        "2024/03/01 09:15:22 ok",
        "Mar  1 09:15:22 host sshd[1234]: ok",
        "duration 00:01:23.456",
        "from 192.168.1.1 port 5060",
        "from 172.16.254.1:5060",
        "ip 10.0.0.1",
        "ts=1709284522 ok",
        "epoch 1709284522123",
        "id 4111111111111112",  # fails Luhn
        "card 4111 1111 1111 1112 declined",  # fails Luhn
        "order 1234 5678 9012 3456",  # fails Luhn
        "uuid 550e8400-e29b-41d4-a716-446655440000",
        "version 10.2.3.4567",
        "jane@localhost",
    ],
)
def test_timestamps_ips_ids_and_luhn_invalid_runs_are_not_flagged(text):
    assert scan_text(text) == []


@pytest.mark.parametrize(
    "text",
    ["from 192.168.10.254 port 5060", "gateway 10.20.30.40 up", "ts=1709284522.123 ok"],
)
def test_ips_with_long_octets_and_epoch_millis_are_not_flagged(text):
    assert scan_text(text) == []


def test_findings_count_every_match_and_mask_examples():
    text = "a@example.com b@example.com a@example.com c@example.com d@example.com"
    (finding,) = scan_text(text)
    assert finding.kind == "email"
    assert finding.count == 5
    assert len(finding.examples) == 3  # at most three, unique
    assert finding.examples[0] == "a@*********om"
    assert all("@example.com" not in example for example in finding.examples)


def test_a_card_is_not_also_reported_as_a_phone():
    assert _kinds("card 4111 1111 1111 1111") == {"card"}


def test_mixed_log_reports_each_kind():
    kinds = {f.kind: f.count for f in scan_text(PII_LOG.decode())}
    assert kinds == {"email": 1, "phone": 1, "card": 1}


def test_all_zero_digit_runs_are_not_cards():
    assert scan_text("trunk 0000 0000 0000 0000 idle") == []
