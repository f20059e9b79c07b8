"""Admin as staff: junk in the change lists' filters, search, ordering and paging, junk object ids,
and junk in the case change page's fields (its edit version included): no 5xx."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.admin_forms import change_form_data
from tests.fuzz.junk import HUGE_INTS, encoded, junk_text, path_segment

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=8, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
CHANGE_LISTS = ["cases/case", "cases/postmortem", "cases/incidentreport", "cases/macdrequest",
                "cases/featurerequest", "cases/uptimecreditrequest", "cases/dataprivacyrequest"]


def _filter_names(client, changelist: str) -> list[str]:  # type: ignore[no-untyped-def]
    page = client.get(changelist).content.decode()
    names = {key for link in re.findall(r'href="\?([^"]+)"', page)
             for key, _ in parse_qsl(link.replace("&amp;", "&"))}
    return sorted(names | {"q", "o", "p", "all", "_facets", "e"})


@pytest.fixture
def staff_client(world, client_for):  # type: ignore[no-untyped-def]
    from tests.portal.factories import StaffFactory

    return client_for(StaffFactory(username="fuzz-admin", is_superuser=True))


@pytest.mark.parametrize("model", CHANGE_LISTS)
@FUZZ
@given(data=st.data())
def test_junk_change_list_queries_and_ids(staff_client, model: str, data: st.DataObject) -> None:
    changelist = f"/admin/{model}/"
    names = _filter_names(staff_client, changelist)
    query = data.draw(st.lists(st.tuples(st.sampled_from(names), junk_text), min_size=1, max_size=4))
    assert staff_client.get(f"{changelist}?{encoded(query)}").status_code < 500
    object_id = data.draw(st.one_of(st.sampled_from(HUGE_INTS), junk_text))
    assert staff_client.get(f"{changelist}{path_segment(object_id)}/change/").status_code < 500


@FUZZ
@given(data=st.data())
def test_junk_in_the_case_change_page(world, staff_client, data: st.DataObject) -> None:
    from cases.models import Case

    url = f"/admin/cases/case/{Case.objects.get(number=world.real['number'][0]).pk}/change/"
    baseline = change_form_data(staff_client, url)
    fields = data.draw(st.lists(st.sampled_from(sorted(baseline)), min_size=1, max_size=3, unique=True))
    posted = {**baseline, **{field: data.draw(junk_text, label=field) for field in fields}}
    pairs = [(key, str(item)) for key, value in posted.items()
             for item in (value if isinstance(value, list) else [value])]
    response = staff_client.post(url, encoded(pairs), content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500
