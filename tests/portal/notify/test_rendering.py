"""The same event, rendered for each reader in their own language and time zone, never escaped
where it is plain text."""

from __future__ import annotations

import pytest
from django.core import mail

from portal.notify.rendering import Recipient, email_render
from portal.notify.services import notification_queue
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_reader_gets_their_language_and_zone(
    notify_templates, event, django_capture_on_commit_callbacks
):
    german = UserFactory(username="greta", email="greta@example.test", language="de",
                         time_zone="Australia/Sydney")
    american = UserFactory(username="sam", email="sam@example.test", language="",
                           time_zone="America/New_York")
    with django_capture_on_commit_callbacks(execute=True):
        rows = notification_queue(kind="case_received", template=notify_templates,
                                  recipients=[german, american], context=event)
    by_address = {row.to_email: row for row in rows}
    greta, sam = by_address["greta@example.test"], by_address["sam@example.test"]
    assert (greta.language, greta.time_zone) == ("de", "Australia/Sydney")
    assert (sam.language, sam.time_zone) == ("en", "America/New_York")  # blank: site language
    # Django's own translations: month and weekday names.
    assert greta.subject == "[C-1001] R&D <lab> is down: 2 Dezember 2025, 10:30"
    assert "Dienstag 2 Dezember 2025, 10:30 (Australia/Sydney)" in greta.body_text
    assert sam.subject == "[C-1001] R&D <lab> is down: 1 December 2025, 18:30"
    assert "Monday 1 December 2025, 18:30 (America/New_York)" in sam.body_text
    sent = {m.to[0]: m for m in mail.outbox}
    assert sent["greta@example.test"].subject == greta.subject


def test_plain_text_is_not_escaped_and_html_is(notify_templates, event, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.test/"
    rendered = email_render(template=notify_templates, context=event,
                            recipient=Recipient.from_address("care@example.test"))
    assert "\n" not in rendered.subject  # a header is one line
    assert "R&D <lab>" in rendered.subject and "&amp;" not in rendered.subject
    assert "R&D <lab> is down" in rendered.body_text
    assert "https://portal.example.test/cases/C-1001/" in rendered.body_text
    assert "R&amp;D &lt;lab&gt; is down" in rendered.body_html
    assert "(UTC)" in rendered.body_text  # a plain address: site language, UTC


def test_a_bad_stored_zone_falls_back_to_utc(notify_templates, event):
    recipient = Recipient(email="x@example.test", user=None, language="en", time_zone="Mars/Base")
    assert "(UTC)" in email_render(template=notify_templates, context=event,
                                   recipient=recipient).body_text
