"""Generated junk to every portal route, as anonymous, a Designated Contact and a reader: no 5xx.

Each route is one test so that a failure names it; hypothesis draws who asks, the path values (real
ones, huge integers, broken UTF-8...), query parameters and a POST of junk to the field names found
on the portal's pages. derandomize=True: the same examples on every run, so it is never flaky. A
500 raises in the test client and fails the test with its traceback."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.junk import QUERY_NAMES, Route, encoded, junk_text, portal_routes

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=2, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FORM = "application/x-www-form-urlencoded"


# /readyz answers 503 on purpose while the test has no beat heartbeat: that is its job, not an error.
UNAVAILABLE_BY_DESIGN = {"readyz"}


def assert_no_server_error(response: HttpResponse, what: str, *, route: str = "") -> None:
    if route in UNAVAILABLE_BY_DESIGN and response.status_code == 503:
        return
    assert response.status_code < 500, f"{what} answered {response.status_code}"


@pytest.mark.parametrize("route", portal_routes(), ids=lambda route: route.name)
@FUZZ
@given(data=st.data())
def test_no_portal_route_answers_a_server_error(world, route: Route, data: st.DataObject) -> None:
    # The real objects' paths (so the junk reaches the page's form and service) and one junk path.
    junk_path = {name: data.draw(world.argument(name, name in route.int_arguments), label=name)
                 for name in route.arguments}
    urls = [*world.real_urls(route), route.url(junk_path)]
    own = world.route_fields.get(route.template, [])
    query = data.draw(st.lists(st.tuples(st.sampled_from(QUERY_NAMES + own), junk_text), max_size=5), label="query")
    others = data.draw(st.lists(st.sampled_from(world.field_names), max_size=4), label="other fields")
    body = [(name, data.draw(junk_text, label=name)) for name in dict.fromkeys([*own, *others])]
    # "1" fills most forms validly (a number, a choice, a primary key, some text): that post gets
    # through to the service, and its repeat is the double click.
    plain = [(name, "1") for name in own]
    for url in dict.fromkeys(urls):
        for actor in ("anonymous", "contact", "reader"):
            client = world.client(actor)
            assert_no_server_error(client.get(f"{url}?{encoded(query)}"), f"GET {url} as {actor}", route=route.name)
            for what, posted in (("junk", body), ("plain", plain), ("plain again", plain)):
                response = client.post(url, encoded(posted), content_type=FORM)
                assert_no_server_error(response, f"POST ({what}) {url} as {actor}", route=route.name)
