"""Designated Contact nominations and Care's decisions, told through the outbox: one message per
reader, written in the same transaction as the DesignationEvent."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format

from portal.models import DesignationEvent
from portal.notify.models import Notification
from portal.tenancy import services
from tests.portal.factories import DesignatedContactFactory, MembershipFactory

pytestmark = pytest.mark.django_db

QUEUE = "queue@care.test"


@pytest.fixture(autouse=True)
def addresses(settings):  # type: ignore[no-untyped-def]
    settings.CARE_QUEUE_EMAIL = QUEUE
    settings.PORTAL_BASE_URL = "https://support.example.test"


def _sent() -> dict[str, mail.EmailMessage]:
    assert all(len(message.to) == 1 for message in mail.outbox), [m.to for m in mail.outbox]
    by_address = {message.to[0]: message for message in mail.outbox}
    assert len(by_address) == len(mail.outbox), "someone got a message twice"
    return by_address


@pytest.fixture
def nominated(contact, reader):  # type: ignore[no-untyped-def]
    services.contact_nominate(nominator=contact.user, membership=reader, phone_24x7="+1 555 0100")
    mail.outbox.clear()
    Notification.objects.all().delete()
    return reader


def test_nomination_tells_the_nominee_the_contacts_and_the_care_queue(
    contact, second_contact, reader, staff, django_capture_on_commit_callbacks
):
    bystander = MembershipFactory(reseller=contact.reseller)  # a reader who is not concerned
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_nominate(nominator=contact.user, membership=reader, phone_24x7="+1 555 0100",
                                  note="On call at weekends")
    sent = _sent()
    assert set(sent) == {reader.user.email, contact.user.email, second_contact.user.email, QUEUE}
    assert bystander.user.email not in sent and staff.email not in sent
    told = sent[reader.user.email]
    assert told.subject == f"{reader.user} nominated as a Designated Contact of {contact.reseller}"
    assert "+1 555 0100" in told.body and "On call at weekends" in told.body
    assert "https://support.example.test/contacts/" in told.body
    care = sent[QUEUE]
    assert care.subject == f"Nomination to approve: {reader.user} ({contact.reseller})"
    assert f"https://support.example.test/admin/portal/membership/{reader.pk}/change/" in care.body
    event = DesignationEvent.objects.get()
    assert set(Notification.objects.values_list("dedupe_key", flat=True)) == {
        f"designation:{event.pk}", f"designation-care:{event.pk}"
    }


@pytest.mark.parametrize(
    ("decide", "subject"),
    [
        (services.contact_approve, "{user} is now a Designated Contact of {reseller}"),
        (services.contact_decline, "Nomination of {user} ({reseller}) declined"),
    ],
)
def test_a_decision_tells_the_nominee_and_the_contacts_not_the_queue(
    nominated, contact, second_contact, staff, decide, subject, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(staff=staff, membership=nominated)
    sent = _sent()
    assert set(sent) == {nominated.user.email, contact.user.email, second_contact.user.email}
    expected = subject.format(user=nominated.user, reseller=contact.reseller)
    assert {message.subject for message in sent.values()} == {expected}


def test_revocation_tells_the_revoked_contact_though_no_longer_designated(
    contact, second_contact, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_revoke(staff=staff, membership=second_contact, note="Left the company")
    sent = _sent()
    assert set(sent) == {second_contact.user.email, contact.user.email}
    message = sent[second_contact.user.email]
    assert message.subject == f"{second_contact.user} is no longer a Designated Contact of {contact.reseller}"
    assert "Left the company" not in message.body  # Care's note stays in the record
    assert Notification.objects.get(to_email=second_contact.user.email).kind == "contact_revoked"


def test_each_reader_gets_their_zone_and_language(nominated, contact, staff, django_capture_on_commit_callbacks):
    contact.user.language, contact.user.time_zone = "en", "America/New_York"
    contact.user.save()
    german = DesignatedContactFactory(reseller=contact.reseller, user__username="greta",
                                      user__language="de", user__time_zone="Australia/Sydney")
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_approve(staff=staff, membership=nominated)
    at = DesignationEvent.objects.get(action="approved").created_at
    with translation.override("de"):
        in_sydney = date_format(at.astimezone(ZoneInfo("Australia/Sydney")), "DATETIME_FORMAT")
    with translation.override("en"):
        in_new_york = date_format(at.astimezone(ZoneInfo("America/New_York")), "DATETIME_FORMAT")
    sent = _sent()
    assert f"{in_sydney} (Australia/Sydney)" in sent[german.user.email].body
    assert f"{in_new_york} (America/New_York)" in sent[contact.user.email].body
    assert "(Australia/Sydney)" not in sent[contact.user.email].body


def test_subject_is_not_html_escaped(contact, reader, django_capture_on_commit_callbacks):
    contact.reseller.name = "R&D <Labs>"
    contact.reseller.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_nominate(nominator=contact.user, membership=reader, phone_24x7="+1 555 0100")
    message = _sent()[reader.user.email]
    assert message.subject.endswith("Designated Contact of R&D <Labs>")
    assert "R&D <Labs>" in message.body and "R&amp;D &lt;Labs&gt;" in message.alternatives[0][0]


def test_a_rolled_back_change_tells_nobody(contact, reader, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            services.contact_nominate(nominator=contact.user, membership=reader, phone_24x7="+1 555 0100")
            services.contact_approve(staff=staff, membership=reader)
            raise RuntimeError("the request failed after the writes")
    assert not DesignationEvent.objects.exists()
    assert not Notification.objects.exists() and mail.outbox == []


def test_a_refused_nomination_tells_nobody(contact, reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.contact_nominate(nominator=contact.user, membership=reader, phone_24x7="  ")
    assert not Notification.objects.exists() and mail.outbox == []
