"""Ending access: deactivating a user or revoking a Designated Contact ends their sessions at once
and revokes the calendar feed tokens they made."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from portal import roles
from portal.models import Membership, UserSession
from portal.tenancy import services, users
from sla.maintenance import services as maintenance
from tests.admin_forms import change_form_data
from tests.portal.factories import TEST_PASSWORD, RoleStaffFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _signed_in(client: Client) -> bool:
    response = client.get("/cases/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    return False


def test_a_login_records_whose_session_it_is_under_its_new_key(client, contact):
    assert client.post("/accounts/login/", {"username": "alice", "password": TEST_PASSWORD}).status_code == 302
    (session,) = UserSession.objects.filter(user=contact.user)
    assert session.session_key == client.cookies["sessionid"].value


def test_deactivating_in_admin_ends_the_users_open_session(client_for, contact, second_contact):
    alice, bob = client_for(contact.user), client_for(second_contact.user)
    assert _signed_in(alice) and _signed_in(bob)
    admin = client_for(RoleStaffFactory(role=roles.ADMINISTRATOR))
    response = admin.post("/admin/portal/user/", {"action": "deactivate", "_selected_action": [contact.user.pk]})
    assert response.status_code == 302
    contact.user.refresh_from_db()
    assert not contact.user.is_active
    assert not _signed_in(alice)  # the very next request meets the login page
    assert _signed_in(bob)
    assert not UserSession.objects.filter(user=contact.user).exists()


def test_unticking_active_on_the_change_form_goes_through_the_same_service(client_for, contact):
    alice = client_for(contact.user)
    admin = client_for(RoleStaffFactory(role=roles.ADMINISTRATOR))
    url = f"/admin/portal/user/{contact.user.pk}/change/"
    data = change_form_data(admin, url)
    data.pop("is_active")
    assert admin.post(url, data).status_code == 302
    assert not UserSession.objects.filter(user=contact.user).exists()
    assert not _signed_in(alice)


def test_nobody_deactivates_themselves(client_for):
    root = StaffFactory(username="root")
    with pytest.raises(ValidationError, match="own account"):
        users.user_deactivate(actor=root, user=root)
    root.refresh_from_db()
    assert root.is_active


def test_revoking_a_contact_ends_their_session_and_the_feed_token_they_made(client, client_for, contact,
                                                                          second_contact):
    feed = maintenance.feed_token_regenerate(reseller=contact.reseller, actor=contact.user)
    feed_url = f"/maintenance/feed/{feed.token}.ics"
    assert client.get(feed_url).status_code == 200
    alice = client_for(contact.user)
    assert _signed_in(alice)
    lead = RoleStaffFactory(role=roles.CARE_LEAD)

    services.contact_revoke(staff=lead, membership=second_contact)  # someone else's revocation
    assert client.get(feed_url).status_code == 200 and _signed_in(alice)

    response = client_for(lead).post("/admin/portal/membership/",
                                     {"action": "revoke", "_selected_action": [contact.pk]})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.designation == Membership.Designation.REVOKED
    assert client.get(feed_url).status_code == 404
    feed.refresh_from_db()
    assert feed.token is None and feed.token_created_by is None
    assert not _signed_in(alice)


def test_deactivation_revokes_the_feed_token_too(client, contact, staff):
    feed = maintenance.feed_token_regenerate(reseller=contact.reseller, actor=contact.user)
    users.user_deactivate(actor=staff, user=contact.user)
    assert client.get(f"/maintenance/feed/{feed.token}.ics").status_code == 404


def test_a_token_made_again_by_a_colleague_survives_the_first_makers_revocation(client, contact, second_contact,
                                                                               staff):
    maintenance.feed_token_regenerate(reseller=contact.reseller, actor=contact.user)
    feed = maintenance.feed_token_regenerate(reseller=contact.reseller, actor=second_contact.user)
    services.contact_revoke(staff=staff, membership=contact)
    assert client.get(f"/maintenance/feed/{feed.token}.ics").status_code == 200
