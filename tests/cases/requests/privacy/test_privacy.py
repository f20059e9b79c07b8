"""Data privacy requests: sent by a Designated Contact, visible to the reseller in the portal, and
in admin only to superusers and the Privacy officer role, never to other Care staff."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from cases.models import DataPrivacyRequest
from cases.requests.privacy import services as request_services
from portal import access
from portal.access import DATA_PRIVACY_GROUP
from portal.notify.models import Notification
from tests.cases.requests.helpers import mailed_to
from tests.portal.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def privacy_details(account):  # type: ignore[no-untyped-def]
    return {
        "account": account,
        "request_type": "erasure",
        "subject_identifier": "jane.doe@enduser.test",
        "details": "Jane asks us to erase her call recordings.",
    }


@pytest.fixture
def privacy_request(contact, privacy_details) -> DataPrivacyRequest:
    return request_services.privacy_request_create(contact=contact.user, details=privacy_details)


@pytest.fixture
def plain_staff():  # type: ignore[no-untyped-def]
    """Care staff with every model permission but neither superuser nor in the Data privacy
    group."""
    user = StaffFactory(username="pat", is_superuser=False)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="cases"))
    return user


@pytest.fixture
def privacy_officer():  # type: ignore[no-untyped-def]
    user = StaffFactory(username="priya", is_superuser=False)
    user.groups.add(Group.objects.get(name=DATA_PRIVACY_GROUP))  # the Privacy officer role, portal 0014
    return user


def test_contact_sends_a_request_and_sees_its_status(client_for, contact, account):
    client = client_for(contact.user)
    assert client.get("/requests/privacy/new/").status_code == 200
    response = client.post(
        "/requests/privacy/new/",
        {
            "account": account.pk,
            "request_type": "access",
            "subject_identifier": "agent-042",
            "details": "Copy of all data held on agent 042.",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/requests/privacy/"
    item = DataPrivacyRequest.objects.get()
    assert (item.reseller, item.requested_by, item.status) == (
        contact.reseller,
        contact.user,
        "received",
    )
    body = client.get("/requests/privacy/").content.decode()
    assert item.reference in body and "Received" in body and "agent-042" in body


def test_form_errors_are_shown_and_nothing_is_saved(client_for, contact):
    response = client_for(contact.user).post("/requests/privacy/new/", {"request_type": "erasure"})
    assert response.status_code == 200
    assert "Please correct the following" in response.content.decode()
    assert not DataPrivacyRequest.objects.exists()


def test_reader_sees_status_but_cannot_send(client_for, reader, privacy_request):
    client = client_for(reader.user)
    assert privacy_request.reference in client.get("/requests/privacy/").content.decode()
    assert client.get("/requests/privacy/new/").status_code == 403
    assert client.post("/requests/privacy/new/", {"request_type": "erasure"}).status_code == 403
    assert DataPrivacyRequest.objects.count() == 1


def test_other_reseller_sees_none_of_them(
    client_for, other_contact, privacy_request, privacy_details
):
    body = client_for(other_contact.user).get("/requests/privacy/").content.decode()
    assert privacy_request.reference not in body and "jane.doe" not in body
    with pytest.raises(ValidationError):  # and cannot file one on another reseller's account
        request_services.privacy_request_create(contact=other_contact.user, details=privacy_details)
    assert not DataPrivacyRequest.objects.visible_to(other_contact.user).exists()


def test_plain_staff_do_not_see_privacy_requests_in_admin(client_for, plain_staff, privacy_request):
    client = client_for(plain_staff)
    assert "Data privacy requests" not in client.get("/admin/").content.decode()
    assert client.get("/admin/cases/dataprivacyrequest/").status_code == 403
    assert (
        client.get(f"/admin/cases/dataprivacyrequest/{privacy_request.pk}/change/").status_code
        == 403
    )
    assert not DataPrivacyRequest.objects.visible_to(plain_staff).exists()
    with pytest.raises(PermissionDenied):
        request_services.privacy_request_update(
            privacy_request=privacy_request, actor=plain_staff, status="completed"
        )


@pytest.mark.parametrize("who", ["privacy_officer", "staff"])  # the group, and a superuser
def test_data_privacy_group_and_superusers_see_and_handle_them(
    who, request, client_for, privacy_request, contact, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert "Data privacy requests" in client.get(reverse("admin:index")).content.decode()
    listing = client.get(reverse("admin:cases_dataprivacyrequest_changelist"))
    assert listing.status_code == 200 and privacy_request.reference in listing.content.decode()
    url = reverse("admin:cases_dataprivacyrequest_change", args=[privacy_request.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "status": "completed",
                "response": "Recordings erased on 28 Nov.",
                "events-TOTAL_FORMS": 0,
                "events-INITIAL_FORMS": 0,
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    privacy_request.refresh_from_db()
    assert (privacy_request.status, privacy_request.handled_by) == ("completed", user)
    history = list(privacy_request.events.values_list("old_status", "new_status", "actor"))
    assert history == [("", "received", contact.user.pk), ("received", "completed", user.pk)]
    # The reseller hears of the new status; the email names no data subject.
    assert mailed_to() == [contact.user.email]
    assert (
        "Completed" in mail.outbox[0].subject
        and privacy_request.reference in mail.outbox[0].subject
    )
    assert (
        "jane.doe" not in mail.outbox[0].body
        and "Recordings erased on 28 Nov." in mail.outbox[0].body
    )
    body = client_for(contact.user).get(reverse("privacy_request_list")).content.decode()
    assert "Completed" in body and "Recordings erased on 28 Nov." in body


def test_reseller_users_never_reach_privacy_admin(client_for, contact, privacy_request):
    contact.user.is_staff = contact.user.is_superuser = True
    contact.user.save()
    assert client_for(contact.user).get("/admin/cases/dataprivacyrequest/").status_code == 404
    assert not access.is_data_privacy_staff(contact.user)


def test_an_unchanged_save_writes_no_history_and_sends_nothing(
    staff, privacy_request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_services.privacy_request_update(
            privacy_request=privacy_request, actor=staff, status="received"
        )
        request_services.privacy_request_update(
            privacy_request=privacy_request,
            actor=staff,
            status="received",
            response="We are checking.",
        )
    assert privacy_request.events.count() == 2  # created, then the response
    assert not mail.outbox  # the status did not change
    with pytest.raises(ValidationError):
        request_services.privacy_request_update(
            privacy_request=privacy_request, actor=staff, status="lost"
        )


# --- notifications through the outbox -------------------------------------------------------------


def test_a_new_request_tells_the_data_privacy_team_only(
    client_for, contact, reader, privacy_officer, plain_staff, staff, account,
    django_capture_on_commit_callbacks,
):
    """A Data privacy officer hears of it; a plain Care engineer, a superuser outside the group, the
    Care queue and the reseller's users do not. The email names no data subject."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(contact.user).post(
            reverse("privacy_request_create"),
            {
                "account": account.pk,
                "request_type": "erasure",
                "subject_identifier": "jane.doe@enduser.test",
                "details": "Jane asks us to erase her call recordings.",
            },
        )
    assert response.status_code == 302
    item = DataPrivacyRequest.objects.get()
    assert mailed_to() == [privacy_officer.email]
    (message,) = mail.outbox
    assert item.reference in message.subject and "Erasure" in message.subject
    assert "jane.doe" not in message.body + message.alternatives[0][0]
    assert reverse("admin:cases_dataprivacyrequest_change", args=[item.pk]) in message.body
    (row,) = Notification.objects.all()
    assert (row.kind, row.recipient, row.about) == (
        "privacy_request_received", privacy_officer, item
    )
    assert not {settings.CARE_QUEUE_EMAIL, plain_staff.email, staff.email, reader.user.email} & set(
        mailed_to()
    )


def test_a_new_status_goes_to_the_designated_contacts_only(
    privacy_officer, privacy_request, contact, second_contact, reader,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        request_services.privacy_request_update(
            privacy_request=privacy_request, actor=privacy_officer, status="in_progress"
        )
    # One message per Designated Contact; a reader of the reseller hears nothing.
    assert sorted(mailed_to()) == sorted([contact.user.email, second_contact.user.email])
    assert reader.user.email not in mailed_to()
    for message in mail.outbox:
        assert "In progress" in message.subject
        assert reverse("privacy_request_list") in message.body
        assert "jane.doe" not in message.body


def test_a_rolled_back_update_sends_nothing(
    privacy_officer, privacy_request, contact, django_capture_on_commit_callbacks
):
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            request_services.privacy_request_update(
                privacy_request=privacy_request, actor=privacy_officer, status="completed"
            )
            raise RuntimeError("the caller's transaction fails after the service returned")
    privacy_request.refresh_from_db()
    assert privacy_request.status == "received"
    assert not Notification.objects.exists() and not mail.outbox
