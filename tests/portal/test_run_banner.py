"""What `make run` prints: the URLs and demo logins that work on the data seed_demo loaded."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from portal.management.commands.runbanner import DEMO_PASSWORD, LOGINS


def test_banner_prints_the_urls_and_the_demo_logins():
    out = StringIO()
    call_command("runbanner", host="127.0.0.1", port="8123", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text and "http://127.0.0.1:8123/admin/" in text
    assert DEMO_PASSWORD in text
    for users, _who in LOGINS:
        assert users in text


@pytest.mark.django_db
def test_every_login_the_banner_names_signs_in_after_seed_demo(reference_data):
    call_command("seed_demo", stdout=StringIO())
    names = [name.strip() for users, _who in LOGINS for name in users.split(",")]
    assert names
    for name in names:
        # The sign-in throttle (django-axes) counts per request, so authenticate() is given one.
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=name, password=DEMO_PASSWORD) is not None, name
