"""Junk in one or two fields of an otherwise valid portal form, so the junk gets past the other
fields' validation to the services and the database (where overlong text and huge integers bite on
PostgreSQL): a form error or a refusal, never a 5xx. Each baseline is first shown to succeed."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import DataPrivacyRequest
from cases.requests.admin_cases.forms import AdminCaseForm
from tests.fuzz.junk import encoded, junk_text

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


def _baselines(world: Any, intake_post: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    account, service = str(intake_post["account"]), str(intake_post["service"])
    number = world.real["number"][0]
    return {
        "case_create": ("/cases/new/", {key: str(value) for key, value in intake_post.items()}),
        "case_reply": (f"/cases/{number}/reply/", {"body": "Still failing."}),
        "case_severity_request": (f"/cases/{number}/severity-request/",
                                  {"severity": "1", "reason": "Every agent is down."}),
        "feature_create": ("/requests/features/new/", {"title": "Wallboard", "problem": "No overview.",
                                                       "service": service, "business_value": "Fewer calls."}),
        "admin_case_create": ("/requests/admin/new/", {
            "account": account, "service": service, "subject": "Licences",
            "topic": str(AdminCaseForm.base_fields["topic"].choices[0][0]),  # type: ignore[attr-defined]
            "description": "Two more licences."}),
        "privacy_request_create": ("/requests/privacy/new/", {
            "account": account, "request_type": DataPrivacyRequest.Type.values[0],
            "subject_identifier": "jo@example.com", "details": "Erase Jo's recordings."}),
        "profile": ("/profile/", {"first_name": "Alice", "last_name": "Adams", "email": "alice@example.com",
                                  "time_zone": "Europe/London", "language": "en"}),
    }


FORMS = ["case_create", "case_reply", "case_severity_request", "feature_create", "admin_case_create",
         "privacy_request_create", "profile"]


@pytest.mark.parametrize("name", FORMS)
def test_each_baseline_is_valid(world, intake_post, name: str) -> None:
    url, data = _baselines(world, intake_post)[name]
    response = world.client("contact").post(url, encoded(list(data.items())), content_type=FORM)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("name", FORMS)
@settings(max_examples=6, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_junk_in_a_valid_form_is_never_a_server_error(world, intake_post, name: str, data: st.DataObject) -> None:
    url, baseline = _baselines(world, intake_post)[name]
    fields = data.draw(st.lists(st.sampled_from(sorted(baseline)), min_size=1, max_size=2, unique=True))
    posted = {**baseline, **{field: data.draw(junk_text, label=field) for field in fields}}
    response = world.client("contact").post(url, encoded(list(posted.items())), content_type=FORM)
    assert response.status_code < 500
