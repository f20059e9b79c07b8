"""Contacts enrol from their profile; a reseller may require it; staff reset a lost phone."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.mfa import services
from tests.portal.factories import StaffFactory
from tests.portal.mfa.factories import login_verified

pytestmark = pytest.mark.django_db


def test_a_contact_may_enrol_from_the_profile_and_turn_it_off(client_for, contact, current_code):
    client = client_for(contact.user)
    page = client.get("/profile/").content.decode()
    assert "Status: off." in page and "/accounts/mfa/enrol/?next=/profile/" in page
    client.get("/accounts/mfa/enrol/")
    response = client.post("/accounts/mfa/enrol/", {"code": current_code(contact.user), "next": "/profile/"})
    assert 'href="/profile/"' in response.content.decode()
    assert "Status: on. 10 recovery codes left." in client.get("/profile/").content.decode()

    assert client.post("/accounts/mfa/disable/").status_code == 302
    assert not TOTPDevice.objects.filter(user=contact.user).exists()
    assert "Status: off." in client.get("/profile/").content.decode()


def test_reseller_require_mfa_makes_its_users_enrol_first(client_for, contact, other_contact, current_code):
    contact.reseller.require_mfa = True
    contact.reseller.save()
    client = client_for(contact.user)
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"] == "/accounts/mfa/enrol/?next=%2Fcases%2F"
    assert client_for(other_contact.user).get("/cases/").status_code == 200  # another reseller: not required

    client.get("/accounts/mfa/enrol/")
    client.post("/accounts/mfa/enrol/", {"code": current_code(contact.user)})
    assert client.get("/cases/").status_code == 200
    page = client.get("/profile/").content.decode()
    assert "Your organisation requires it." in page and "/accounts/mfa/disable/" not in page
    assert client.post("/accounts/mfa/disable/").status_code == 403  # required: they may not turn it off
    assert TOTPDevice.objects.filter(user=contact.user, confirmed=True).exists()


def test_staff_set_require_mfa_on_the_reseller_in_admin(client_for, staff, reseller):
    page = client_for(staff).get(f"/admin/portal/reseller/{reseller.pk}/change/").content.decode()
    assert 'name="require_mfa"' in page


def test_reset_mfa_from_the_user_admin(client_for, staff, caplog):
    lost = StaffFactory(username="lost-phone")
    lost_session = login_verified(Client(), lost)
    assert lost_session.get("/admin/").status_code == 200
    StaticDevice.objects.create(user=lost, name="Recovery codes")
    with caplog.at_level(logging.INFO, logger="portal.audit"):
        response = client_for(staff).post("/admin/portal/user/", {
            "action": "reset_mfa", "_selected_action": [lost.pk],
        }, follow=True)
    assert "Two-step verification reset for 1 user." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=lost).exists() and not StaticDevice.objects.filter(user=lost).exists()
    reset = [record for record in caplog.records if record.getMessage() == "mfa_reset"]
    assert [(record.user_id, record.actor_id) for record in reset] == [(lost.pk, staff.pk)]

    # Their open session lost its verification with the device: admin waits for a new enrolment.
    assert lost_session.get("/admin/")["Location"].startswith("/accounts/mfa/enrol/")


def test_only_staff_who_may_change_users_reset_someone_elses_mfa(contact, other_contact):
    plain = StaffFactory(username="plain", is_superuser=False)
    with pytest.raises(PermissionDenied):
        services.mfa_reset(actor=plain, user=contact.user)
    with pytest.raises(PermissionDenied):
        services.mfa_reset(actor=other_contact.user, user=contact.user)
