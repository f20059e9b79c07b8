"""Demo staff get into admin with the MFA code the `make run` banner prints; nobody else has it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken

from portal.management.commands.runbanner import DEMO_MFA_RECOVERY_CODES, DEMO_PASSWORD, Command

pytestmark = pytest.mark.django_db


def test_demo_staff_pass_the_mfa_step_with_the_banner_code(reference_data):
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    Command(stdout=out).banner("127.0.0.1", "8123")
    assert DEMO_MFA_RECOVERY_CODES[0] in out.getvalue()

    client = Client()
    client.post("/admin/login/", {"username": "care", "password": DEMO_PASSWORD, "next": "/admin/"})
    assert client.get("/admin/")["Location"].startswith("/accounts/mfa/")
    response = client.post("/accounts/mfa/", {"code": DEMO_MFA_RECOVERY_CODES[0], "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200

    call_command("seed_demo", stdout=StringIO())  # the next `make run` gives the used code back
    assert StaticToken.objects.filter(device__user__username="care", token=DEMO_MFA_RECOVERY_CODES[0]).exists()
    # Demo contacts have no demo secret: their MFA is theirs to set up.
    assert not StaticToken.objects.filter(device__user__username="alice").exists()
