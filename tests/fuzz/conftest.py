"""One small world for the fuzz tests: a reseller with a Designated Contact, a reader, a case, a
held post-mortem (its incident report not yet requested, so the form is on the page), a feature
request, a Care MAC/D and a feed token."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import strategies as st

from cases.requests.features import services as features
from cases.requests.macd import services as macd
from portal.models import User
from sla.maintenance import services as maintenance
from tests.cases.factories import CaseFactory
from tests.cases.followups.postmortem_helpers import held_post_mortem, utc
from tests.cases.requests.helpers import account_with, service
from tests.fuzz.junk import HUGE_INTS, Route, forms_by_action, junk_text, portal_routes
from tests.portal.factories import StaffFactory


@dataclass
class World:
    users: dict[str, User | None]
    real: dict[str, list[str]]  # real values per path argument name, so pages past the lookup are reached
    field_names: list[str] = field(default_factory=list)
    route_fields: dict[str, list[str]] = field(default_factory=dict)  # route template -> its form's fields

    def client(self, actor: str) -> Client:
        # A fresh client per example: an earlier example may have posted to the logout page.
        client = Client()
        user = self.users[actor]
        if user is not None:
            client.force_login(user)
        return client

    def real_urls(self, route: Route) -> list[str]:
        """The route's path for every combination of the world's real values."""
        choices = (dict.fromkeys(self.real.get(name, ["1"])) for name in route.arguments)
        return [route.url(dict(zip(route.arguments, values, strict=True))) for values in product(*choices)]

    def argument(self, name: str, is_int: bool) -> st.SearchStrategy[str]:
        real = st.sampled_from(self.real.get(name, ["1"]))
        if is_int:
            return st.one_of(real, st.sampled_from(["0", *HUGE_INTS[:4]]), st.integers(min_value=0).map(str))
        return st.one_of(real, junk_text, st.sampled_from(HUGE_INTS))


_FIELD_NAMES: list[str] = []
_ROUTE_FIELDS: dict[str, list[str]] = {}


def _discover_fields(world: World) -> None:
    """Every form on every portal page, read once from the pages as a contact sees them: which route
    each form posts to and with which field names."""
    if not _FIELD_NAMES:
        client = world.client("contact")
        by_route: dict[str, set[str]] = {}
        pages = [url for route in portal_routes() for url in world.real_urls(route)]
        for url in pages:
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for target, names in forms_by_action(response.content.decode(), url).items():
                try:
                    template = resolve(target).route
                except Resolver404:
                    continue
                by_route.setdefault(template, set()).update(names - {"csrfmiddlewaretoken"})
        _ROUTE_FIELDS.update({template: sorted(names) for template, names in by_route.items()})
        _FIELD_NAMES.extend(sorted(set().union(*by_route.values())))
    world.field_names, world.route_fields = _FIELD_NAMES, _ROUTE_FIELDS


@pytest.fixture
def world(reseller, contact, reader, django_capture_on_commit_callbacks) -> World:  # type: ignore[no-untyped-def]
    staff = StaffFactory(username="fuzz-staff")
    account = account_with(reseller, "pureengage-cloud", "genesys-cloud-cx")
    case = CaseFactory(account=account)
    post_mortem = held_post_mortem(staff=staff, reseller=reseller, meeting_at=utc(2025, 3, 14, 14, 0))
    feature = features.feature_submit(contact=contact.user, title="Dark mode", problem="Glare.",
                                      service=service("genesys-cloud-cx"), business_value="Rested agents.")
    request = macd.macd_submit(contact=contact.user, account=account, service=service("pureengage-cloud"),
                               title="Seats", lines=[{"action": "add", "item": "Seat", "details": "",
                                                      "wanted_by": None}])
    feed = maintenance.feed_token_regenerate(reseller=reseller, actor=contact.user)
    real: dict[str, Any] = {
        "number": [case.number, post_mortem.case.number],
        "pk": [str(feature.pk), str(request.pk)],
        "attachment_id": ["1"],
        "token": [str(feed.token)],
        "uidb64": ["MQ"],
    }
    built = World(users={"anonymous": None, "contact": contact.user, "reader": reader.user}, real=real)
    _discover_fields(built)
    return built
