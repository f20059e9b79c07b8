"""A bounded HTTP load: Designated Contacts log in, open cases with a log attached, reply and list
their cases; staff open the admin queue and reply (through the service, see data.staff_reply).
Every request is recorded (endpoint, status, seconds) for the throughput table and the 5xx check."""

from __future__ import annotations

import random
import re
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import requests

from tests.scaleout.data import PASSWORD, Contact, intake_details

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/([A-Za-z0-9-]+)/"')
LOG = b"2026-12-01T09:00:01Z agent-desktop login failed: HTTP 503 from auth service\n" * 40


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: list[tuple[str, int, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)

    def record(self, endpoint: str, status: int, seconds: float) -> None:
        with self.lock:
            self.samples.append((endpoint, status, seconds))

    def failed(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)

    def table(self, elapsed: float) -> str:
        by_endpoint: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for endpoint, status, seconds in self.samples:
            by_endpoint[endpoint].append((status, seconds))
        lines = [f"{'endpoint':32} {'requests':>8} {'req/s':>7} {'median ms':>10} {'p95 ms':>8}  statuses"]
        for endpoint, rows in sorted(by_endpoint.items()):
            times = sorted(seconds for _status, seconds in rows)
            statuses: dict[int, int] = defaultdict(int)
            for status, _seconds in rows:
                statuses[status] += 1
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            lines.append(f"{endpoint:32} {len(rows):8} {len(rows) / elapsed:7.2f} "
                         f"{statistics.median(times) * 1000:10.0f} {p95 * 1000:8.0f}  {dict(sorted(statuses.items()))}")
        lines.append(f"{'all':32} {len(self.samples):8} {len(self.samples) / elapsed:7.2f}")
        return "\n".join(lines)


class Browser:
    """One person's session against the server; every request is timed and recorded."""

    def __init__(self, base: str, results: Results) -> None:
        self.base, self.results, self.session = base, results, requests.Session()

    def request(self, endpoint: str, method: str, path: str, **kwargs: object) -> requests.Response | None:
        start = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, timeout=30, allow_redirects=False,
                                            **kwargs)  # type: ignore[arg-type]
        except requests.RequestException as error:
            self.results.failed(f"{endpoint}: {error}")
            return None
        self.results.record(endpoint, response.status_code, time.perf_counter() - start)
        return response

    def form_token(self, endpoint: str, path: str) -> str | None:
        response = self.request(endpoint, "GET", path)
        if response is None or response.status_code != 200:
            return None
        match = CSRF.search(response.text)
        return match.group(1) if match else None

    def log_in(self, login_path: str, username: str, endpoint: str) -> bool:
        token = self.form_token(f"GET {endpoint}", login_path)
        if token is None:
            return False
        response = self.request(f"POST {endpoint}", "POST", login_path, data={
            "csrfmiddlewaretoken": token, "username": username, "password": PASSWORD,
        })
        return response is not None and response.status_code == 302


def _case_form(contact: Contact, token: str, subject: str) -> dict[str, object]:
    details = intake_details(None, None, subject)
    local = (datetime.now(ZoneInfo("America/New_York")) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data: dict[str, object] = {key: value for key, value in details.items()
                               if key not in ("account", "service", "first_observed_at")}
    data.update({key: "on" for key, value in details.items() if value is True})
    data.update({"csrfmiddlewaretoken": token, "account": contact.account_id, "service": contact.service_id,
                 "first_observed_local": local, "logs_sanitized": "on"})
    return data


def contact_loop(base: str, contact: Contact, results: Results, until: float) -> None:
    browser = Browser(base, results)
    if not browser.log_in("/accounts/login/", contact.username, "/accounts/login/"):
        results.failed(f"{contact.username} could not log in")
        return
    mine: list[str] = []
    turn = 0
    while time.monotonic() < until:
        turn += 1
        listing = browser.request("GET /cases/", "GET", "/cases/")
        if listing is not None and listing.status_code == 200 and not mine:
            mine = [number for number in CASE_LINK.findall(listing.text) if number != "new"][:10]
        if turn % 4 == 1:
            token = browser.form_token("GET /cases/new/", "/cases/new/")
            if token:
                created = browser.request(
                    "POST /cases/new/ (with log)", "POST", "/cases/new/",
                    data=_case_form(contact, token, f"Load case by {contact.username} #{turn}"),
                    files={"attachments": ("agent-desktop.log", LOG, "text/plain")},
                )
                redirected = created is not None and created.status_code == 302
                location = created.headers.get("Location", "") if created is not None and redirected else ""
                number = location.rstrip("/").rpartition("/")[2]
                if number:
                    mine.append(number)
                    with results.lock:
                        results.cases.append(number)
                elif created is not None and created.status_code < 500:
                    results.failed(f"new case not accepted ({created.status_code})")
        if mine:
            number = random.choice(mine)
            token = browser.form_token("GET /cases/<number>/", f"/cases/{number}/")
            if token and turn % 2 == 0:
                browser.request("POST /cases/<number>/reply/", "POST", f"/cases/{number}/reply/",
                                data={"csrfmiddlewaretoken": token, "body": f"Still failing ({turn})."})
        browser.request("GET / (dashboard)", "GET", "/")
        time.sleep(0.05)


def staff_loop(base: str, username: str, results: Results, until: float,
               reply: Callable[[str, str], None]) -> None:
    """Staff browse the admin queue (status recorded, so an MFA redirect shows, and is no 5xx) and
    answer some of the cases, so the rest breach their response target."""
    browser = Browser(base, results)
    in_admin = browser.log_in("/admin/login/?next=/admin/", username, "/admin/login/")
    answered: set[str] = set()
    while time.monotonic() < until:
        if in_admin:
            browser.request("GET /admin/cases/case/", "GET", "/admin/cases/case/")
        with results.lock:
            waiting = [number for number in results.cases if number not in answered]
        if waiting and random.random() < 0.15:
            number = random.choice(waiting)
            answered.add(number)
            start = time.perf_counter()
            try:
                reply(number, username)
                results.record("staff reply (service)", 200, time.perf_counter() - start)
            except Exception as error:  # recorded, and fails the run
                results.record("staff reply (service)", 500, time.perf_counter() - start)
                results.failed(f"staff reply to {number}: {error!r}")
        time.sleep(0.3)


def load_run(base: str, contacts: list[Contact], staff: list[str], seconds: float,
             reply: Callable[[str, str], None]) -> tuple[Results, float]:
    results = Results()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=contact_loop, args=(base, contact, results, until)) for contact in contacts]
    threads += [threading.Thread(target=staff_loop, args=(base, name, results, until, reply)) for name in staff]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return results, time.monotonic() - start
