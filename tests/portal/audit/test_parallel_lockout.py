"""The lockout count is exact under parallel attempts, against PostgreSQL through a real threaded server.

Axes alone checks the count before the password and records the failure after it, so twenty
simultaneous posts would all pass the check; the advisory locks of SerialiseLoginAttemptsMiddleware
make at most AXES_FAILURE_LIMIT of them reach the password."""

from __future__ import annotations

import http.cookiejar
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.db.models import Sum

from portal.audit.models import AuditEvent, AuditKind
from tests.portal.audit.signin import LOCKED_OUT_TEXT, LOGIN_URL, WRONG_PASSWORD
from tests.portal.factories import TEST_PASSWORD, DesignatedContactFactory

pytestmark = pytest.mark.services

PARALLEL = 20
LIMIT = 5


@pytest.fixture
def postgres_server(transactional_db, live_server, settings):  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI runs it")
    settings.AXES_FAILURE_LIMIT = LIMIT
    return live_server


def _browser(url: str) -> tuple[urllib.request.OpenerDirector, str]:
    """A browser of its own: its session and CSRF cookie from a GET of the sign-in page."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(url, timeout=30).read()
    return opener, next(cookie.value for cookie in jar if cookie.name == "csrftoken")


def _post(opener: urllib.request.OpenerDirector, url: str, token: str, password: str,
          username: str = "alice") -> tuple[int, str]:
    data = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode()
    try:
        with opener.open(urllib.request.Request(url, data=data, headers={"Referer": url}), timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_twenty_parallel_wrong_passwords_reach_the_password_check_at_most_limit_times(postgres_server):
    DesignatedContactFactory(user__username="alice")
    url = postgres_server.url + LOGIN_URL
    browsers = [_browser(url) for _ in range(PARALLEL)]
    start = threading.Barrier(PARALLEL)

    def attempt(browser: tuple[urllib.request.OpenerDirector, str]) -> tuple[int, str]:
        opener, token = browser
        start.wait()
        return _post(opener, url, token, WRONG_PASSWORD)

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        results = list(pool.map(attempt, browsers))

    statuses = sorted(status for status, _ in results)
    # The first LIMIT - 1 hear "wrong password"; the LIMIT-th failure starts the lockout and is
    # answered with it; every other attempt is refused without its password being read.
    assert statuses == [200] * (LIMIT - 1) + [429] * (PARALLEL - LIMIT + 1), statuses
    assert all(LOCKED_OUT_TEXT in body.lower() for status, body in results if status == 429)
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN_FAILED, username="alice").count() == LIMIT
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN_LOCKED_OUT, username="alice").count() == PARALLEL - LIMIT + 1
    assert AccessAttempt.objects.aggregate(total=Sum("failures_since_start"))["total"] == LIMIT

    # Now even the right password is refused until the cool-off ends (or Care unlocks in admin).
    opener, token = _browser(url)
    status, body = _post(opener, url, token, TEST_PASSWORD)
    assert status == 429 and LOCKED_OUT_TEXT in body.lower()


def test_twenty_parallel_guesses_at_different_usernames_from_one_ip_are_counted_exactly(postgres_server):
    url = postgres_server.url + LOGIN_URL
    browsers = [_browser(url) for _ in range(PARALLEL)]
    start = threading.Barrier(PARALLEL)

    def attempt(numbered: tuple[int, tuple[urllib.request.OpenerDirector, str]]) -> int:
        number, (opener, token) = numbered
        start.wait()
        return _post(opener, url, token, WRONG_PASSWORD, username=f"guess{number}")[0]

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        statuses = sorted(pool.map(attempt, enumerate(browsers)))
    assert statuses == [200] * (LIMIT - 1) + [429] * (PARALLEL - LIMIT + 1), statuses
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN_FAILED).count() == LIMIT
