"""MAC/D routing (data, per cloud service), the Care Service Request worked in admin, the CSM email,
and access to the MAC/D pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import MacdEvent, MacdRequest, MacdRoute
from cases.requests.common import RequestEventKind
from cases.requests.macd import services as macd
from portal.notify.models import Notification
from tests.cases.requests.helpers import account_with, mailed_to, service
from tests.cases.requests.helpers import without_csrf as _without_csrf

pytestmark = pytest.mark.django_db

ALL = ("pureengage-cloud", "premier-edition", "outbound-engagement", "genesys-cloud-cx")
LINES = [
    {
        "action": "add",
        "item": "Agent seat for Jo Smith",
        "details": "Skill: billing",
        "wanted_by": None,
    },
    {"action": "delete", "item": "DN 4410", "details": "", "wanted_by": None},
]


@pytest.fixture
def macd_account(reseller):  # type: ignore[no-untyped-def]
    return account_with(reseller, *ALL)


def _submit(contact, account, code: str, capture, **kwargs: Any) -> MacdRequest:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return macd.macd_submit(
            contact=contact.user,
            account=account,
            service=service(code),
            title=kwargs.pop("title", "Q3 seat changes"),
            lines=kwargs.pop("lines", LINES),
        )


def test_routes_are_loaded_as_data():
    routes = dict(MacdRoute.objects.values_list("service__code", "route"))
    assert routes == {
        "pureengage-cloud": "care",
        "premier-edition": "csm",
        "outbound-engagement": "csm",
    }


def test_pureengage_opens_a_care_service_request(
    contact, macd_account, django_capture_on_commit_callbacks
):
    request = _submit(contact, macd_account, "pureengage-cloud", django_capture_on_commit_callbacks)
    assert request.route == MacdRoute.Route.CARE
    assert request.status == MacdRequest.Status.SUBMITTED
    assert request.csm_recipient == "" and request.sent_at is None
    assert [(line.action, line.item) for line in request.lines.all()] == [
        ("add", "Agent seat for Jo Smith"),
        ("delete", "DN 4410"),
    ]
    assert mailed_to() == [settings.CARE_QUEUE_EMAIL]  # never the CSM
    assert "Agent seat for Jo Smith" in mail.outbox[0].body


@pytest.mark.parametrize("code", ["premier-edition", "outbound-engagement"])
def test_premier_and_outbound_go_to_the_csm_by_email(
    code, contact, macd_account, django_capture_on_commit_callbacks
):
    request = _submit(contact, macd_account, code, django_capture_on_commit_callbacks)
    assert request.route == MacdRoute.Route.CSM
    assert request.status == MacdRequest.Status.SENT_TO_CSM
    assert request.csm_recipient == "sam.csm@vendor.test"
    assert request.sent_at is not None and abs(request.sent_at - timezone.now()) < timedelta(
        minutes=1
    )
    assert request.events.filter(
        kind=RequestEventKind.SENT_TO_CSM, new_value="sam.csm@vendor.test"
    ).exists()
    assert mailed_to() == ["sam.csm@vendor.test"]  # no Care request, no Care email
    message = mail.outbox[0]
    # The outbox sets no Reply-To: the body names the requester's address instead.
    assert contact.user.email in message.body
    for line in LINES:
        assert line["item"] in message.body
        assert line["item"] in message.alternatives[0][0]
    assert "Delete" in message.body and "Add" in message.body


def test_changing_the_route_data_changes_behaviour(
    contact, macd_account, django_capture_on_commit_callbacks
):
    MacdRoute.objects.filter(service__code="premier-edition").update(route=MacdRoute.Route.CARE)
    MacdRoute.objects.filter(service__code="pureengage-cloud").update(route=MacdRoute.Route.CSM)
    premier = _submit(contact, macd_account, "premier-edition", django_capture_on_commit_callbacks)
    pureengage = _submit(
        contact, macd_account, "pureengage-cloud", django_capture_on_commit_callbacks
    )
    assert (premier.route, premier.status) == ("care", "submitted")
    assert (pureengage.route, pureengage.status) == ("csm", "sent_to_csm")
    assert mailed_to() == [settings.CARE_QUEUE_EMAIL, "sam.csm@vendor.test"]


def test_a_service_without_a_route_is_refused(contact, macd_account):
    with pytest.raises(ValidationError) as error:
        macd.macd_submit(
            contact=contact.user,
            account=macd_account,
            service=service("genesys-cloud-cx"),
            title="x",
            lines=LINES,
        )
    assert "service" in error.value.message_dict
    assert not MacdRequest.objects.exists()


def test_the_service_must_be_the_accounts(contact, reseller):
    account = account_with(reseller, "genesys-cloud-cx", name="Other")
    with pytest.raises(ValidationError):
        macd.macd_submit(
            contact=contact.user,
            account=account,
            service=service("pureengage-cloud"),
            title="x",
            lines=LINES,
        )


def test_csm_route_needs_a_csm_on_record(contact, macd_account):
    macd_account.csm_email = ""
    macd_account.save()
    with pytest.raises(ValidationError):
        macd.macd_submit(
            contact=contact.user,
            account=macd_account,
            service=service("premier-edition"),
            title="x",
            lines=LINES,
        )
    assert not MacdRequest.objects.exists()


def test_lines_are_required_and_dates_not_past(contact, macd_account):
    with pytest.raises(ValidationError):
        macd.macd_submit(
            contact=contact.user,
            account=macd_account,
            service=service("pureengage-cloud"),
            title="x",
            lines=[{"action": "add", "item": " "}],
        )
    past = [
        {"action": "add", "item": "seat", "wanted_by": timezone.localdate() - timedelta(days=1)}
    ]
    with pytest.raises(ValidationError):
        macd.macd_submit(
            contact=contact.user,
            account=macd_account,
            service=service("pureengage-cloud"),
            title="x",
            lines=past,
        )


def test_only_designated_contacts_of_the_accounts_reseller_submit(
    reader, other_contact, macd_account
):
    for user in (reader.user, other_contact.user):
        with pytest.raises(PermissionDenied):
            macd.macd_submit(
                contact=user,
                account=macd_account,
                service=service("pureengage-cloud"),
                title="x",
                lines=LINES,
            )


def test_staff_work_a_care_request_like_a_case(
    staff, contact, second_contact, macd_account, django_capture_on_commit_callbacks
):
    request = _submit(contact, macd_account, "pureengage-cloud", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = macd.macd_update(
            request=request, actor=staff, status="in_progress", comment="On it."
        )
    request.refresh_from_db()
    assert request.status == "in_progress"
    assert (event.kind, event.old_value, event.new_value, event.body) == (
        "status",
        "Submitted",
        "In progress",
        "On it.",
    )
    # One message per Designated Contact.
    assert sorted(mailed_to()) == sorted([contact.user.email, second_contact.user.email])
    for message in mail.outbox:
        assert "On it." in message.body and "In progress" in message.subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        macd.macd_update(request=request, actor=staff, status="in_progress", comment="Half done.")
    assert MacdEvent.objects.filter(request=request, kind="comment", body="Half done.").exists()
    assert sorted(mailed_to()) == sorted([contact.user.email, second_contact.user.email])
    with pytest.raises(PermissionDenied):
        macd.macd_update(request=request, actor=contact.user, status="completed")


def test_a_csm_request_is_not_worked_by_care(
    staff, contact, macd_account, django_capture_on_commit_callbacks
):
    request = _submit(contact, macd_account, "premier-edition", django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        macd.macd_update(request=request, actor=staff, status="completed")


# --- pages ----------------------------------------------------------------------------------------


def _form(account, code: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "account": account.pk,
        "service": service(code).pk,
        "title": "Seat changes",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-action": "add",
        "lines-0-item": "Agent seat for Jo",
        "lines-0-details": "Billing",
        "lines-0-wanted_by": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "lines-1-action": "",
        "lines-1-item": "",
        "lines-2-action": "",
        "lines-2-item": "",
    }


def test_contact_submits_to_csm_and_sees_where_it_went(
    client_for, contact, macd_account, django_capture_on_commit_callbacks
):
    client = client_for(contact.user)
    assert client.get(reverse("macd_create")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("macd_create"), _form(macd_account, "outbound-engagement"), follow=True
        )
    assert response.status_code == 200
    request = MacdRequest.objects.get()
    body = response.content.decode()
    assert "sam.csm@vendor.test" in body and "Sent to CSM" in body
    assert mailed_to() == ["sam.csm@vendor.test"] and "Agent seat for Jo" in mail.outbox[0].body
    assert request.reference in client.get(reverse("macd_list")).content.decode()


def test_contact_submits_to_care(
    client_for, contact, macd_account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(contact.user).post(
            "/requests/macd/new/", _form(macd_account, "pureengage-cloud")
        )
    request = MacdRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/requests/macd/{request.pk}/"
    assert request.route == "care" and request.lines.get().item == "Agent seat for Jo"


def test_form_shows_service_errors(client_for, contact, macd_account):
    response = client_for(contact.user).post(
        "/requests/macd/new/", _form(macd_account, "genesys-cloud-cx")
    )
    assert response.status_code == 400
    assert not MacdRequest.objects.exists()


def test_reader_reads_but_cannot_write(
    client_for, reader, contact, macd_account, django_capture_on_commit_callbacks
):
    request = _submit(contact, macd_account, "pureengage-cloud", django_capture_on_commit_callbacks)
    client = client_for(reader.user)
    assert client.get(f"/requests/macd/{request.pk}/").status_code == 200
    assert request.reference in client.get("/requests/macd/").content.decode()
    assert client.get("/requests/macd/new/").status_code == 403
    assert (
        client.post("/requests/macd/new/", _form(macd_account, "pureengage-cloud")).status_code
        == 403
    )
    assert MacdRequest.objects.count() == 1


def test_another_reseller_gets_404_and_sees_nothing(
    client_for, other_contact, contact, macd_account, django_capture_on_commit_callbacks
):
    request = _submit(contact, macd_account, "pureengage-cloud", django_capture_on_commit_callbacks)
    client = client_for(other_contact.user)
    foreign = client.get(f"/requests/macd/{request.pk}/")
    missing = client.get(f"/requests/macd/{request.pk + 1000}/")
    assert foreign.status_code == missing.status_code == 404
    assert _without_csrf(foreign.content) == _without_csrf(missing.content)
    assert request.title not in client.get("/requests/macd/").content.decode()
    # Nor can they submit against the other reseller's account: it is not among their choices.
    response = client.post("/requests/macd/new/", _form(macd_account, "pureengage-cloud"))
    assert response.status_code == 400 and MacdRequest.objects.count() == 1


def test_admin_changes_status_and_comments(
    client_for, staff, contact, macd_account, django_capture_on_commit_callbacks
):
    request = _submit(contact, macd_account, "pureengage-cloud", django_capture_on_commit_callbacks)
    client = client_for(staff)
    url = f"/admin/cases/macdrequest/{request.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.get("/admin/cases/macdroute/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "new_status": "completed",
                "comment": "Seats added.",
                "lines-TOTAL_FORMS": "2",
                "lines-INITIAL_FORMS": "2",
                "lines-MIN_NUM_FORMS": "0",
                "lines-MAX_NUM_FORMS": "1000",
                **{f"lines-{i}-id": line.pk for i, line in enumerate(request.lines.all())},
                **{f"lines-{i}-request": request.pk for i in range(2)},
                "events-TOTAL_FORMS": str(request.events.count()),
                "events-INITIAL_FORMS": str(request.events.count()),
                "events-MIN_NUM_FORMS": "0",
                "events-MAX_NUM_FORMS": "1000",
                **{f"events-{i}-id": event.pk for i, event in enumerate(request.events.all())},
                **{f"events-{i}-request": request.pk for i in range(request.events.count())},
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    request.refresh_from_db()
    assert request.status == "completed"
    assert request.events.filter(kind="status", body="Seats added.").exists()


def test_contact_comments_on_a_care_request(
    client_for, contact, reader, other_contact, macd_account, django_capture_on_commit_callbacks
):
    request = _submit(contact, macd_account, "pureengage-cloud", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    url = reverse("macd_comment", args=[request.pk])
    assert client_for(reader.user).post(url, {"body": "Reader here"}).status_code == 403
    assert client_for(other_contact.user).post(url, {"body": "Mallory here"}).status_code == 404
    assert not request.events.filter(kind="comment").exists()
    assert client_for(contact.user).post(url, {"body": " "}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(contact.user).post(url, {"body": "Jo starts Monday."})
    assert response.status_code == 302
    assert request.events.filter(
        kind="comment", actor=contact.user, body="Jo starts Monday."
    ).exists()
    assert mailed_to() == [settings.CARE_QUEUE_EMAIL]
    assert "Jo starts Monday." in mail.outbox[0].body
    assert (
        "Jo starts Monday."
        in client_for(reader.user).get(reverse("macd_detail", args=[request.pk])).content.decode()
    )


def test_no_portal_comment_on_a_csm_request(
    contact, macd_account, django_capture_on_commit_callbacks
):
    request = _submit(contact, macd_account, "premier-edition", django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        macd.macd_comment(request=request, contact=contact.user, body="Hello")


# --- notifications through the outbox -------------------------------------------------------------


def test_each_contact_reads_the_update_in_their_language_and_zone(
    staff, contact, second_contact, macd_account, django_capture_on_commit_callbacks
):
    request = _submit(contact, macd_account, "pureengage-cloud", django_capture_on_commit_callbacks)
    contact.user.language, contact.user.time_zone = "de", "Australia/Sydney"
    contact.user.save()
    second_contact.user.language, second_contact.user.time_zone = "en", "America/New_York"
    second_contact.user.save()
    mail.outbox.clear()
    # 23:30 UTC on 1 December: 10:30 on Tuesday the 2nd in Sydney, 18:30 on Monday in New York.
    when = datetime(2025, 12, 1, 23, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=when):
        with django_capture_on_commit_callbacks(execute=True):
            macd.macd_update(request=request, actor=staff, status="in_progress")
    sent = {message.to[0]: message for message in mail.outbox}
    assert sorted(mailed_to()) == sorted(sent)
    assert sorted(sent) == sorted([contact.user.email, second_contact.user.email])
    german, american = sent[contact.user.email], sent[second_contact.user.email]
    assert "Dienstag 2 Dezember 2025, 10:30 (Australia/Sydney)" in german.body
    assert "Dienstag 2 Dezember 2025, 10:30 (Australia/Sydney)" in german.alternatives[0][0]
    assert "Monday 1 December 2025, 18:30 (America/New_York)" in american.body
    rows = Notification.objects.filter(kind="macd_updated").order_by("to_email")
    assert [(row.language, row.time_zone) for row in rows] == [
        ("de", "Australia/Sydney"), ("en", "America/New_York")
    ]
    assert all(row.about == request for row in rows)


def test_the_subject_is_plain_text(contact, macd_account, django_capture_on_commit_callbacks):
    contact.reseller.name = "Smith & Sons <Care>"
    contact.reseller.save()
    request = _submit(contact, macd_account, "pureengage-cloud", django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.subject == f"[{request.reference}] New MAC/D request from Smith & Sons <Care>"
    assert "Smith & Sons <Care> submitted" in message.body
    assert "Smith &amp; Sons &lt;Care&gt;" in message.alternatives[0][0]


@pytest.mark.parametrize("code", ["pureengage-cloud", "premier-edition"])
def test_a_rolled_back_submission_sends_nothing(
    code, contact, macd_account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            macd.macd_submit(
                contact=contact.user, account=macd_account, service=service(code), title="x",
                lines=LINES,
            )
            raise RuntimeError("the caller's transaction fails after the service returned")
    assert not MacdRequest.objects.exists()
    assert not Notification.objects.exists() and not mail.outbox
