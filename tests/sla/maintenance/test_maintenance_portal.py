"""The maintenance page (viewer's time zone), the iCalendar feed and access to every new page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from portal.models import CloudService
from sla.maintenance import services as maintenance
from sla.maintenance.models import MaintenanceFeed, RescheduleRequest
from tests.portal.factories import EndUserAccountFactory

pytestmark = pytest.mark.django_db


def service(code: str) -> CloudService:
    return CloudService.objects.get(code=code)


@pytest.fixture
def premier_account(reseller):  # type: ignore[no-untyped-def]
    return EndUserAccountFactory(reseller=reseller, name="Harbour Bank", time_zone="America/New_York",
                                 services=[service("premier-edition")])


@pytest.fixture
def london_account(reseller):  # type: ignore[no-untyped-def]
    return EndUserAccountFactory(reseller=reseller, name="Thames Water", time_zone="Europe/London",
                                 services=[service("pureengage-cloud")])


@pytest.fixture
def other_account(other_contact):  # type: ignore[no-untyped-def]
    account = other_contact.reseller.accounts.get()
    account.name = "Blue Yonder Secret Account"
    account.save()
    account.services.set([service("premier-edition")])
    return account


def at(monkeypatch, when: datetime) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(maintenance, "current_time", lambda: when)


def fmt(moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %Y %H:%M}"


# --- the page ---------------------------------------------------------------------------------------


def test_page_shows_each_accounts_windows_in_the_viewers_time_zone_across_dst(
        monkeypatch, client_for, contact, premier_account, london_account):
    contact.user.time_zone = "Asia/Tokyo"
    contact.user.save()
    at(monkeypatch, datetime(2026, 3, 2, 12, tzinfo=UTC))  # the week before the US change
    body = client_for(contact.user).get("/maintenance/").content.decode()
    # Premier Tue 3 March 22:00 EST = Wed 4 March 12:00 JST; Tue 10 March 22:00 EDT = Wed 11 March 11:00 JST.
    assert "Wed 4 Mar 2026 12:00" in body
    assert "Wed 11 Mar 2026 11:00" in body
    assert "JST" in body
    # PureEngage for the London account: Tue 3 March 00:00 GMT = 09:00 JST.
    assert "Tue 3 Mar 2026 09:00" in body
    assert "Harbour Bank" in body and "Thames Water" in body
    assert "Asia/Tokyo" in body


def test_same_windows_for_a_viewer_in_new_york(monkeypatch, client_for, contact, premier_account):
    contact.user.time_zone = "America/New_York"
    contact.user.save()
    at(monkeypatch, datetime(2026, 3, 2, 12, tzinfo=UTC))
    body = client_for(contact.user).get("/maintenance/").content.decode()
    assert "Tue 3 Mar 2026 22:00 EST" in body
    assert "Tue 10 Mar 2026 22:00 EDT" in body


def test_page_lists_only_own_accounts(client_for, contact, premier_account, other_account):
    body = client_for(contact.user).get("/maintenance/").content.decode()
    assert "Harbour Bank" in body
    assert other_account.name not in body


def test_reader_sees_windows_but_no_write_controls_or_feed_address(client_for, reader, contact, premier_account):
    feed = maintenance.feed_token_regenerate(reseller=contact.reseller, actor=contact.user)
    body = client_for(reader.user).get("/maintenance/").content.decode()
    assert "Harbour Bank" in body
    assert "/maintenance/reschedule/" not in body
    assert "/maintenance/feed-token/" not in body
    assert feed.token not in body


# --- the feed ---------------------------------------------------------------------------------------


def _events(content: bytes) -> list:  # type: ignore[type-arg]
    return [component for component in Calendar.from_ical(content).walk() if component.name == "VEVENT"]


def test_feed_parses_and_lists_the_next_90_days_in_utc(monkeypatch, client, contact, premier_account,
                                                        london_account, other_account):
    feed = maintenance.feed_token_regenerate(reseller=contact.reseller, actor=contact.user)
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    at(monkeypatch, now)
    response = client.get(f"/maintenance/feed/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    expected = maintenance.account_windows([premier_account, london_account], after=now,
                                           until=now + timedelta(days=90))
    assert len(events) == len(expected) > 60  # 3 a week for Premier, 2 for PureEngage, ~13 weeks
    by_uid = {str(event["uid"]): event for event in events}
    assert len(by_uid) == len(events)  # UIDs are unique
    first_premier = by_uid[next(w.uid for w in expected if w.account == premier_account)]
    start, end = first_premier.decoded("dtstart"), first_premier.decoded("dtend")
    assert start == datetime(2026, 3, 4, 3, tzinfo=UTC) and end == datetime(2026, 3, 4, 10, tzinfo=UTC)
    assert start.utcoffset() == timedelta(0)
    assert "Harbour Bank" in str(first_premier["summary"])
    raw = response.content.decode()
    assert "DTSTART:20260304T030000Z" in raw  # UTC form, no TZID
    assert "TZID" not in raw
    for event in events:
        assert event.decoded("dtstart") < now + timedelta(days=90)
        assert event.decoded("dtend") > now
    # The London account's PureEngage window after the UK change: Tue 31 March 00:00 BST.
    assert any(e.decoded("dtstart") == datetime(2026, 3, 30, 23, tzinfo=UTC) for e in events)
    assert other_account.name.encode() not in response.content


def test_feed_uids_are_stable_between_fetches(monkeypatch, client, contact, premier_account):
    feed = maintenance.feed_token_regenerate(reseller=contact.reseller, actor=contact.user)
    at(monkeypatch, datetime(2026, 3, 2, 12, tzinfo=UTC))
    first = {str(e["uid"]) for e in _events(client.get(f"/maintenance/feed/{feed.token}.ics").content)}
    at(monkeypatch, datetime(2026, 3, 2, 18, tzinfo=UTC))
    second = {str(e["uid"]) for e in _events(client.get(f"/maintenance/feed/{feed.token}.ics").content)}
    assert first == second


def test_other_resellers_feed_shows_only_its_own_accounts(monkeypatch, client, contact, other_contact,
                                                          premier_account, other_account):
    feed = maintenance.feed_token_regenerate(reseller=other_contact.reseller, actor=other_contact.user)
    content = client.get(f"/maintenance/feed/{feed.token}.ics").content
    assert other_account.name.encode() in content
    assert b"Harbour Bank" not in content


def test_revoked_regenerated_and_unknown_tokens(client, client_for, contact, premier_account):
    browser = client_for(contact.user)
    assert browser.post("/maintenance/feed-token/", {"action": "regenerate"}).status_code == 302
    old = MaintenanceFeed.objects.get(reseller=contact.reseller).token
    assert old and len(old) >= 40
    assert client.get(f"/maintenance/feed/{old}.ics").status_code == 200
    assert old in browser.get("/maintenance/").content.decode()
    browser.post("/maintenance/feed-token/", {"action": "regenerate"})
    new = MaintenanceFeed.objects.get(reseller=contact.reseller).token
    assert new != old
    assert client.get(f"/maintenance/feed/{old}.ics").status_code == 404
    assert client.get(f"/maintenance/feed/{new}.ics").status_code == 200
    browser.post("/maintenance/feed-token/", {"action": "revoke"})
    assert MaintenanceFeed.objects.get(reseller=contact.reseller).token is None
    assert client.get(f"/maintenance/feed/{new}.ics").status_code == 404
    assert client.get("/maintenance/feed/None.ics").status_code == 404
    assert client.get("/maintenance/feed/unknown.ics").status_code == 404


# --- access to the new pages ------------------------------------------------------------------------


def test_reader_cannot_make_or_revoke_the_feed(client_for, reader, contact):
    feed = maintenance.feed_token_regenerate(reseller=contact.reseller, actor=contact.user)
    browser = client_for(reader.user)
    assert browser.post("/maintenance/feed-token/", {"action": "revoke"}).status_code == 403
    assert browser.post("/maintenance/feed-token/", {"action": "regenerate"}).status_code == 403
    assert MaintenanceFeed.objects.get().token == feed.token


def test_feed_token_of_one_reseller_is_untouched_by_another(client_for, contact, other_contact):
    feed = maintenance.feed_token_regenerate(reseller=contact.reseller, actor=contact.user)
    client_for(other_contact.user).post("/maintenance/feed-token/", {"action": "revoke"})
    assert MaintenanceFeed.objects.get(reseller=contact.reseller).token == feed.token


def _next_premier(account):  # type: ignore[no-untyped-def]
    return maintenance.account_windows([account], after=timezone.now() + timedelta(days=1), count=1)[0]


def _payload(account, window) -> dict:  # type: ignore[no-untyped-def,type-arg]
    proposed = timezone.localtime(window.start + timedelta(days=2))
    return {"account": account.pk, "rule": window.rule.pk, "occurrence_start": int(window.planned_start.timestamp()),
            "proposed_start": proposed.strftime("%Y-%m-%dT%H:%M"),
            "proposed_end": (proposed + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "Black Friday campaign"}


def test_another_resellers_account_is_a_404_for_reschedule(client_for, other_contact, premier_account):
    browser = client_for(other_contact.user)
    window = _next_premier(premier_account)
    assert browser.get("/maintenance/reschedule/", {"account": premier_account.pk}).status_code == 404
    foreign = browser.post("/maintenance/reschedule/", _payload(premier_account, window))
    missing = browser.post("/maintenance/reschedule/", {**_payload(premier_account, window), "account": 999999})
    assert foreign.status_code == missing.status_code == 404
    assert b"Harbour Bank" not in foreign.content
    assert not RescheduleRequest.objects.exists()


def test_reader_cannot_ask_to_reschedule(client_for, reader, premier_account):
    browser = client_for(reader.user)
    window = _next_premier(premier_account)
    assert browser.get("/maintenance/reschedule/", {"account": premier_account.pk}).status_code == 403
    assert browser.post("/maintenance/reschedule/", _payload(premier_account, window)).status_code == 403
    assert not RescheduleRequest.objects.exists()


def test_reschedule_form_shows_the_window_and_refuses_a_made_up_occurrence(client_for, contact, premier_account):
    browser = client_for(contact.user)
    window = _next_premier(premier_account)
    page = browser.get("/maintenance/reschedule/", {"account": premier_account.pk, "rule": window.rule.pk,
                                                    "start": int(window.planned_start.timestamp())})
    assert page.status_code == 200
    assert "Premier Edition" in page.content.decode()
    bad = browser.post("/maintenance/reschedule/", {**_payload(premier_account, window),
                                                   "occurrence_start": int(window.planned_start.timestamp()) + 60})
    assert bad.status_code == 400
    assert "not a planned maintenance window" in bad.content.decode()
    assert not RescheduleRequest.objects.exists()
