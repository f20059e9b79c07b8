"""Staff must enrol before admin opens, and admin opens only to a session that passed MFA."""

from __future__ import annotations

import re
from base64 import b32encode

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.mfa.admin_site import MfaAdminSite
from tests.portal.mfa.factories import TOTPDeviceFactory, login_verified

pytestmark = pytest.mark.django_db


def test_unenrolled_staff_reaching_admin_is_sent_to_enrolment(client, staff):
    client.force_login(staff)
    response = client.get("/admin/cases/case/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/mfa/enrol/?next=%2Fadmin%2Fcases%2Fcase%2F"


def test_enrolment_shows_a_qr_code_and_the_key_then_recovery_codes_once(client, staff, current_code):
    client.force_login(staff)
    page = client.get("/accounts/mfa/enrol/", {"next": "/admin/"}).content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert "<svg" in page and "<script" not in page.split("</main>")[0]
    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page
    assert re.search(r'<label\s+for="id_code"', page)
    assert client.get("/accounts/mfa/enrol/").content.decode().count(secret[:4]) >= 1  # same device on reload
    assert TOTPDevice.objects.filter(user=staff).count() == 1

    response = client.post("/accounts/mfa/enrol/", {"code": current_code(staff), "next": "/admin/"})
    assert response.status_code == 200
    codes = list(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in response.content.decode() for code in codes)
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert client.get("/admin/").status_code == 200  # the enrolment was this session's MFA step
    # Shown once: the enrolment page now only sends them on.
    assert client.get("/accounts/mfa/enrol/").status_code == 302


def test_a_wrong_code_does_not_enrol(client, staff):
    client.force_login(staff)
    client.get("/accounts/mfa/enrol/")
    response = client.post("/accounts/mfa/enrol/", {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not valid" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert client.get("/admin/").status_code == 302


def test_enrolled_but_unverified_staff_get_the_mfa_step(client, staff):
    TOTPDeviceFactory(user=staff)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/mfa/?next=%2Fadmin%2F"


def test_verified_staff_enter_admin(client, staff):
    login_verified(client, staff)
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_itself_refuses_an_unverified_session(staff):
    """Should the middleware ever be left out, admin.site still says no."""
    assert isinstance(admin.site, MfaAdminSite)
    request = RequestFactory().get("/admin/")
    request.user = staff
    assert not admin.site.has_permission(request)
    request.user.is_verified = lambda: True  # what django-otp's middleware sets after the step
    assert admin.site.has_permission(request)


def test_staff_cannot_add_devices_for_others_in_admin(client_for, staff):
    client = client_for(staff)
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/add/").status_code == 404
