"""portal.access tested against every portal route.

ROUTES lists every named portal route; test_every_portal_route_is_covered fails when a route is added
to portal/urls.py without being added here, so no page escapes the access checks below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404
from django.urls import URLResolver, get_resolver

from cases.followups import services as postmortems
from cases.intake.selectors import attachment_for, case_for, case_for_update
from cases.models import (
    Attachment,
    Case,
    CaseEvent,
    DataPrivacyRequest,
    IncidentReport,
    PostMortem,
    RemoteAccessRequest,
    Reply,
    SeverityRequest,
    StagedUpload,
)
from portal import access
from portal.models import CloudService, DesignationEvent, EndUserAccount, Membership
from sla.maintenance.models import MaintenanceFeed, RescheduleRequest
from tests.cases.factories import CaseFactory
from tests.portal.factories import EndUserAccountFactory, MembershipFactory

pytestmark = pytest.mark.django_db

MISSING_NUMBER = "CS-999999"


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    writes: bool = False
    public: bool = False  # no sign-in: an unguessable token in the URL is the credential
    # Names one request by id (a literal id here); its per-object rules are tested in tests/cases/test_macd.py,
    # test_feature_requests.py and test_uptime_credits.py.
    request_object: bool = False

    def url(self, number: str = "", attachment: int | str = "") -> str:
        return self.path.format(number=number, attachment=attachment)

    @property
    def names_case(self) -> bool:
        return "{number}" in self.path

    def __str__(self) -> str:
        return self.name


ROUTES = [
    Route("dashboard", "get", "/"),
    Route("contacts", "get", "/contacts/"),
    Route("profile", "get", "/profile/"),
    Route("case_list", "get", "/cases/"),
    Route("case_create", "get", "/cases/new/", writes=True),
    Route("case_detail", "get", "/cases/{number}/"),
    Route("case_reply", "post", "/cases/{number}/reply/", writes=True),
    Route("case_upload", "post", "/cases/{number}/attachments/", writes=True),
    Route("attachment_download", "get", "/cases/{number}/attachments/{attachment}/"),
    Route("postmortem_list", "get", "/post-mortems/"),
    Route("postmortem_detail", "get", "/post-mortems/{number}/"),
    Route("incident_report_request", "post", "/post-mortems/{number}/incident-report/", writes=True),
    Route("incident_report_download", "get", "/post-mortems/{number}/incident-report.pdf"),
    Route("case_critical_call", "post", "/cases/{number}/critical-call/", writes=True),
    Route("case_on_call", "post", "/cases/{number}/on-call/", writes=True),
    Route("case_severity_request", "post", "/cases/{number}/severity-request/", writes=True),
    Route("maintenance_overview", "get", "/maintenance/"),
    Route("maintenance_reschedule", "get", "/maintenance/reschedule/", writes=True),
    Route("maintenance_feed_token", "post", "/maintenance/feed-token/", writes=True),
    Route("maintenance_feed", "get", "/maintenance/feed/not-a-real-token.ics", public=True),
    Route("macd_list", "get", "/requests/macd/"),
    Route("macd_create", "get", "/requests/macd/new/", writes=True),
    Route("macd_detail", "get", "/requests/macd/1/", request_object=True),
    Route("macd_comment", "post", "/requests/macd/1/comment/", writes=True, request_object=True),
    Route("feature_list", "get", "/requests/features/"),
    Route("feature_create", "get", "/requests/features/new/", writes=True),
    Route("feature_detail", "get", "/requests/features/1/", request_object=True),
    Route("feature_vote", "post", "/requests/features/1/vote/", writes=True, request_object=True),
    Route("credit_list", "get", "/requests/uptime-credits/"),
    Route("credit_create", "get", "/requests/uptime-credits/new/", writes=True),
    Route("credit_detail", "get", "/requests/uptime-credits/1/", request_object=True),
    Route("request_hub", "get", "/requests/new/"),
    Route("sow_change", "get", "/requests/sow-change/"),
    Route("admin_case_create", "get", "/requests/admin/new/", writes=True),
    Route("privacy_request_list", "get", "/requests/privacy/"),
    Route("privacy_request_create", "get", "/requests/privacy/new/", writes=True),
    Route("case_remote_access", "post", "/cases/{number}/remote-access/", writes=True),
]
ROUTE_IDS = [route.name for route in ROUTES]
CASE_ROUTES = [route for route in ROUTES if route.names_case]
READ_ROUTES = [route for route in ROUTES if not route.writes and not route.public and not route.request_object]
SIGNED_IN_ROUTES = [route for route in ROUTES if not route.public]


def _is_django_auth_view(callback: Any) -> bool:
    """Django's auth views, and the portal's subclasses of them (the throttled password reset)."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return any(cls.__module__.startswith("django.contrib.auth") for cls in view_class.__mro__)
    return bool(callback.__module__.startswith("django.contrib.auth"))


def _portal_route_names() -> set[str]:
    """Named routes of the portal's own topic URL modules (auth views and admin are Django's; the
    MFA steps belong to signing in and are tested in tests/portal/mfa/)."""

    def walk(patterns: list[Any]) -> set[str]:
        names: set[str] = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name != "admin":
                    names |= walk(pattern.url_patterns)
            elif pattern.name and not _is_django_auth_view(pattern.callback) \
                    and not pattern.callback.__module__.startswith("portal.mfa"):
                names.add(pattern.name)
        return names

    return walk(get_resolver().url_patterns)


# Endpoints for the load balancer and the metrics scraper, not pages: they show no tenant's data
# and sign in nobody (tests/portal/health, tests/portal/observability test who may read them).
OPERATIONS_ROUTES = {"healthz", "readyz", "metrics"}


def test_every_portal_route_is_covered():
    assert _portal_route_names() == set(ROUTE_IDS) | OPERATIONS_ROUTES


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def case_a(account, contact) -> Case:
    return CaseFactory(account=account, opened_by=contact.user, subject="Northwind secret outage")


@pytest.fixture
def attachment_a(case_a, contact) -> Attachment:
    attachment = Attachment(
        case=case_a, uploaded_by=contact.user, original_name="northwind.log", size=20,
        sanitized_confirmed=True,
    )
    attachment.file.save("uploads/northwind-test.log", ContentFile(b"10:00 northwind ok\n"), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def postmortem_a(case_a, staff) -> PostMortem:
    """case_a after its outage: service resolved, post-mortem meeting held."""
    from datetime import timedelta

    from django.utils import timezone

    case_a.severity = 2
    case_a.save()
    post_mortem = postmortems.case_record_service_resolution(
        case=case_a, actor=staff, at=timezone.now() - timedelta(days=3)
    )
    postmortems.postmortem_schedule(post_mortem=post_mortem, actor=staff,
                                    meeting_at=timezone.now() - timedelta(days=1))
    return postmortems.postmortem_complete(post_mortem=post_mortem, actor=staff, minutes="Held.")


@pytest.fixture
def published_report_a(postmortem_a, contact, staff) -> IncidentReport:
    report = postmortems.incident_report_request(post_mortem=postmortem_a, contact=contact.user,
                                                 coverage_request="All of it.")
    return postmortems.incident_report_publish(
        report=report, actor=staff, outage_explanation="Northwind outage explained.", timeline="09:00 down.",
        root_causes="A bug.", remediation_steps="Fixed it.",
    )


@pytest.fixture
def case_b(other_contact) -> Case:
    return CaseFactory(
        account=other_contact.reseller.accounts.get(), opened_by=other_contact.user,
        subject="Blue Yonder own case",
    )


@pytest.fixture
def candidate(reseller) -> Membership:
    """A colleague with no designation, whom a Designated Contact may nominate."""
    return MembershipFactory(reseller=reseller, user__username="dave")


def _payload(route: Route) -> dict[str, Any]:
    if route.name == "case_reply":
        return {"body": "Any news?"}
    if route.name == "case_upload":
        return {"attachments": [ContentFile(b"10:00 ok\n", name="more.log")], "logs_sanitized": "on"}
    if route.name == "incident_report_request":
        return {"coverage_request": "Everything, please."}
    if route.name == "case_remote_access":
        return {"decision": "approve"}
    return {}


def _request(client, route: Route, number: str = "", attachment: int | str = ""):  # type: ignore[no-untyped-def]
    url = route.url(number, attachment)
    if route.method == "post":
        return client.post(url, _payload(route))
    return client.get(url)


def _without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def _db_snapshot() -> dict[str, Any]:
    return {
        "cases": list(Case.objects.values_list("pk", "status", "subject").order_by("pk")),
        "replies": Reply.objects.count(),
        "attachments": Attachment.objects.count(),
        "staged": StagedUpload.objects.count(),
        "events": CaseEvent.objects.count(),
        "designations": list(Membership.objects.values_list("pk", "designation", "phone_24x7").order_by("pk")),
        "designation_events": DesignationEvent.objects.count(),
        "post_mortems": list(PostMortem.objects.values_list("pk", "status").order_by("pk")),
        "incident_reports": list(IncidentReport.objects.values_list("pk", "status").order_by("pk")),
        "escalation": list(Case.objects.values_list("pk", "severity", "calling_for_critical_at",
                                                    "on_call_contact").order_by("pk")),
        "severity_requests": SeverityRequest.objects.count(),
        "reschedule_requests": RescheduleRequest.objects.count(),
        "feeds": list(MaintenanceFeed.objects.values_list("pk", "token").order_by("pk")),
        "privacy_requests": DataPrivacyRequest.objects.count(),
        "remote_access": list(RemoteAccessRequest.objects.values_list("pk", "status").order_by("pk")),
    }


# --- (a) another reseller's Designated Contact ----------------------------------------------------


@pytest.mark.parametrize("route", CASE_ROUTES, ids=str)
def test_other_reseller_gets_404_exactly_like_a_missing_case(route, client_for, other_contact, case_a,
                                                             attachment_a, published_report_a):
    client = client_for(other_contact.user)
    before = _db_snapshot()
    foreign = _request(client, route, case_a.number, attachment_a.pk)
    missing = _request(client, route, MISSING_NUMBER, attachment_a.pk)
    assert foreign.status_code == 404
    assert missing.status_code == 404
    assert _without_csrf(foreign.content) == _without_csrf(missing.content)
    assert case_a.subject.encode() not in foreign.content
    assert _db_snapshot() == before


def test_other_reseller_cannot_reach_an_attachment_through_its_own_case(client_for, other_contact,
                                                                        case_b, attachment_a):
    client = client_for(other_contact.user)
    response = client.get(f"/cases/{case_b.number}/attachments/{attachment_a.pk}/")
    assert response.status_code == 404
    # And the real owner's own case URL with a wrong attachment id is a 404 too.
    assert client.get(f"/cases/{case_b.number}/attachments/{attachment_a.pk + 1000}/").status_code == 404


@pytest.mark.parametrize("path", ["/", "/cases/", "/cases/?open=true", "/cases/?q={number}",
                                  "/cases/?account={account}", "/cases/?q=Northwind"])
def test_lists_and_dashboard_never_show_another_resellers_case(path, client_for, other_contact, case_a,
                                                                case_b):
    response = client_for(other_contact.user).get(path.format(number=case_a.number, account=case_a.account_id))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"/cases/{case_a.number}/" not in body  # a search box may echo the number; no link to it
    assert case_a.subject not in body
    assert case_a.account.name not in body


@pytest.mark.parametrize("path", ["/", "/cases/"])
def test_lists_and_dashboard_show_own_cases(path, client_for, other_contact, case_b):
    """The control for the test above: the same pages do list the viewer's own case."""
    body = client_for(other_contact.user).get(path).content.decode()
    assert f"/cases/{case_b.number}/" in body


def test_other_resellers_people_are_not_listed_or_nominable(client_for, other_contact, contact, candidate):
    client = client_for(other_contact.user)
    body = client.get("/contacts/").content.decode()
    assert contact.user.email not in body
    assert candidate.user.email not in body
    response = client.post("/contacts/", {"colleague": candidate.pk, "phone_24x7": "+1 555 0100"})
    assert response.status_code == 200  # the form refuses a colleague outside the choices
    candidate.refresh_from_db()
    assert candidate.designation == Membership.Designation.NONE
    assert not DesignationEvent.objects.exists()


# --- (b) a plain reader of the same reseller ------------------------------------------------------


@pytest.mark.parametrize("route", READ_ROUTES, ids=str)
def test_reader_can_read(route, client_for, reader, case_a, attachment_a, published_report_a):
    response = _request(client_for(reader.user), route, case_a.number, attachment_a.pk)
    assert response.status_code == 200
    if route.name in ("dashboard", "case_list", "case_detail"):
        assert case_a.number in response.content.decode()
    if route.name == "attachment_download":
        assert b"".join(response.streaming_content) == b"10:00 northwind ok\n"
    if route.name in ("postmortem_list", "postmortem_detail"):
        assert case_a.number in response.content.decode()
    if route.name == "postmortem_detail":
        assert "Northwind outage explained." in response.content.decode()
    if route.name == "incident_report_download":
        assert response.content.startswith(b"%PDF")


def _write_requests(case: Case, candidate: Membership, intake_post: dict[str, Any]) -> dict[str, tuple[str, str, Any]]:
    return {
        "case_create GET": ("get", "/cases/new/", None),
        "case_create POST": ("post", "/cases/new/", intake_post),
        "case_reply": ("post", f"/cases/{case.number}/reply/", {"body": "Any news?"}),
        "case_upload": ("post", f"/cases/{case.number}/attachments/", {
            "attachments": [ContentFile(b"10:00 ok\n", name="more.log")], "logs_sanitized": "on",
        }),
        "nominate": ("post", "/contacts/", {"colleague": candidate.pk, "phone_24x7": "+1 555 0100"}),
        "incident_report_request": ("post", f"/post-mortems/{case.number}/incident-report/",
                                    {"coverage_request": "Everything, please."}),
        "critical_call": ("post", f"/cases/{case.number}/critical-call/", {}),
        "on_call": ("post", f"/cases/{case.number}/on-call/", {
            "on_call_contact": Membership.objects.designated().filter(reseller=case.reseller)
            .exclude(phone_24x7="").values_list("pk", flat=True).first(),
        }),
        "severity_request": ("post", f"/cases/{case.number}/severity-request/", {"severity": 4, "reason": "Minor"}),
        "maintenance_reschedule GET": ("get", "/maintenance/reschedule/", {"account": case.account_id}),
        "maintenance_reschedule POST": ("post", "/maintenance/reschedule/", _reschedule_payload(case.account)),
        "maintenance_feed_token": ("post", "/maintenance/feed-token/", {"action": "regenerate"}),
        "admin_case_create GET": ("get", "/requests/admin/new/", None),
        "admin_case_create POST": ("post", "/requests/admin/new/", {
            "account": case.account_id, "service": case.service_id, "topic": "access",
            "subject": "Three new agent logins", "description": "Please add logins for 3 agents.",
        }),
        "privacy_request_create GET": ("get", "/requests/privacy/new/", None),
        "privacy_request_create POST": ("post", "/requests/privacy/new/", {
            "account": case.account_id, "request_type": "erasure", "subject_identifier": "jane@example.test",
            "details": "Erase Jane's recordings.",
        }),
    }


def _reschedule_payload(account: EndUserAccount) -> dict[str, Any]:
    """A valid request for the account's next Premier Edition window."""
    from datetime import timedelta

    from django.utils import timezone

    from sla.maintenance.services import account_windows

    account.services.add(CloudService.objects.get(code="premier-edition"))
    window = account_windows([account], after=timezone.now() + timedelta(days=1), count=1)[0]
    proposed = timezone.localtime(window.start + timedelta(days=1))
    return {"account": account.pk, "rule": window.rule.pk, "occurrence_start": int(window.planned_start.timestamp()),
            "proposed_start": proposed.strftime("%Y-%m-%dT%H:%M"),
            "proposed_end": (proposed + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "Quarter-end campaign"}


WRITES = ["case_create GET", "case_create POST", "case_reply", "case_upload", "nominate", "incident_report_request",
          "critical_call", "on_call", "severity_request", "maintenance_reschedule GET", "maintenance_reschedule POST",
          "maintenance_feed_token", "admin_case_create GET", "admin_case_create POST",
          "privacy_request_create GET", "privacy_request_create POST"]
# What the same request does for a Designated Contact: proves the payloads are valid.
CONTACT_OUTCOME = {
    "case_create GET": 200, "case_create POST": 302, "case_reply": 302, "case_upload": 302, "nominate": 302,
    "incident_report_request": 302, "critical_call": 302, "on_call": 302, "severity_request": 302,
    "maintenance_reschedule GET": 200, "maintenance_reschedule POST": 302, "maintenance_feed_token": 302,
    "admin_case_create GET": 200, "admin_case_create POST": 302, "privacy_request_create GET": 200,
    "privacy_request_create POST": 302,
}


@pytest.mark.parametrize("write", WRITES)
def test_reader_is_refused_every_write_and_nothing_changes(write, client_for, reader, case_a, candidate,
                                                           intake_post, postmortem_a):
    method, url, data = _write_requests(case_a, candidate, intake_post)[write]
    client = client_for(reader.user)
    before = _db_snapshot()
    response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    assert response.status_code == 403
    assert _db_snapshot() == before


@pytest.mark.parametrize("write", WRITES)
def test_designated_contact_may_do_the_same_writes(write, client_for, contact, case_a, candidate, intake_post,
                                                  postmortem_a):
    method, url, data = _write_requests(case_a, candidate, intake_post)[write]
    client = client_for(contact.user)
    before = _db_snapshot()
    response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    assert response.status_code == CONTACT_OUTCOME[write], response.content.decode()[:2000]
    if method == "post":
        assert _db_snapshot() != before


def test_reader_sees_no_write_controls(client_for, reader, case_a):
    body = client_for(reader.user).get(f"/cases/{case_a.number}/").content.decode()
    assert f"/cases/{case_a.number}/reply/" not in body
    assert f"/cases/{case_a.number}/attachments/\"" not in body
    assert "Only Designated Contacts can reply" in body


@pytest.mark.parametrize("designation", [Membership.Designation.NOMINATED, Membership.Designation.REVOKED])
def test_nominated_or_revoked_contact_is_still_only_a_reader(designation, client_for, reader, case_a):
    reader.designation = designation
    reader.phone_24x7 = "+1 555 0100"
    reader.save()
    client = client_for(reader.user)
    assert client.post(f"/cases/{case_a.number}/reply/", {"body": "hi"}).status_code == 403
    assert client.get("/cases/new/").status_code == 403
    assert not Reply.objects.exists()


def test_deactivated_designated_contact_cannot_write(contact, case_a):
    contact.user.is_active = False
    contact.user.save()
    assert not access.is_designated_contact(contact.user)
    with pytest.raises(PermissionDenied):
        case_for_update(contact.user, case_a.number)


# --- (c) anonymous --------------------------------------------------------------------------------


@pytest.mark.parametrize("route", SIGNED_IN_ROUTES, ids=str)
def test_anonymous_is_sent_to_login(route, client, case_a, attachment_a):
    url = route.url(case_a.number, attachment_a.pk)
    before = _db_snapshot()
    response = _request(client, route, case_a.number, attachment_a.pk)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "next=" in response["Location"]
    assert _db_snapshot() == before
    assert url  # the route was actually exercised with A's real numbers


def test_anonymous_gets_a_login_form_not_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- (d) staff and admin --------------------------------------------------------------------------

# The download view is shared with admin, which links staff to it; every other portal page sends
# Care staff to admin.
STAFF_REDIRECTED = [route for route in SIGNED_IN_ROUTES if route.name != "attachment_download"]


@pytest.mark.parametrize("who", ["anonymous", "contact", "staff"])
def test_public_feed_route_with_an_unknown_token_is_a_404_for_everyone(who, request, client, client_for):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    user = getattr(user, "user", user)
    browser = client if user is None else client_for(user)
    for route in ROUTES:
        if route.public:
            assert _request(browser, route).status_code == 404


@pytest.mark.parametrize("route", STAFF_REDIRECTED, ids=str)
def test_staff_visiting_portal_pages_are_sent_to_admin(route, client_for, staff, case_a, attachment_a):
    before = _db_snapshot()
    response = _request(client_for(staff), route, case_a.number, attachment_a.pk)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert _db_snapshot() == before


def test_staff_may_download_attachments_linked_from_admin(client_for, staff, attachment_a):
    response = client_for(staff).get(f"/cases/{attachment_a.case.number}/attachments/{attachment_a.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"10:00 northwind ok\n"


def test_staff_enter_admin(client_for, staff):
    assert client_for(staff).get("/admin/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/", "/admin/cases/case/", "/admin/login/"])
@pytest.mark.parametrize("who", ["contact", "reader"])
def test_reseller_users_get_404_at_admin_even_with_is_staff(path, who, request, client_for, case_a):
    membership = request.getfixturevalue(who)
    membership.user.is_staff = True
    membership.user.is_superuser = True
    membership.user.save()
    response = client_for(membership.user).get(path)
    assert response.status_code == 404
    assert not access.may_enter_admin(membership.user)
    assert not access.is_care_staff(membership.user)


def test_reseller_user_with_is_staff_still_sees_only_own_reseller(client_for, other_contact, case_a):
    other_contact.user.is_staff = True
    other_contact.user.save()
    client = client_for(other_contact.user)
    assert client.get(f"/cases/{case_a.number}/").status_code == 404
    assert case_a.number not in client.get("/cases/").content.decode()
    assert not Case.objects.visible_to(other_contact.user).filter(pk=case_a.pk).exists()


def test_inactive_staff_may_not_enter_admin(staff):
    staff.is_active = False
    assert not access.may_enter_admin(staff)


def test_signed_in_user_without_membership_sees_no_portal_pages(client_for, case_a):
    from tests.portal.factories import UserFactory

    loner = UserFactory(username="loner")
    client = client_for(loner)
    assert client.get("/cases/").status_code == 404
    assert client.get(f"/cases/{case_a.number}/").status_code == 404
    assert client.get("/admin/").status_code == 404


# --- (e) the access functions directly ------------------------------------------------------------


def test_cases_visible_to(contact, reader, other_contact, staff, case_a, case_b):
    from django.contrib.auth.models import AnonymousUser

    assert list(Case.objects.visible_to(contact.user)) == [case_a]
    assert list(Case.objects.visible_to(reader.user)) == [case_a]
    assert list(Case.objects.visible_to(other_contact.user)) == [case_b]
    assert set(Case.objects.visible_to(staff)) == {case_a, case_b}
    assert not Case.objects.visible_to(AnonymousUser()).exists()


def test_case_for(contact, reader, other_contact, staff, case_a, case_b):
    assert case_for(contact.user, case_a.number) == case_a
    assert case_for(reader.user, case_a.number) == case_a
    assert case_for(staff, case_a.number) == case_a
    with pytest.raises(Http404):
        case_for(other_contact.user, case_a.number)
    with pytest.raises(Http404):
        case_for(contact.user, MISSING_NUMBER)
    # A narrower queryset is still scoped: passing all cases does not widen what a user sees.
    with pytest.raises(Http404):
        case_for(other_contact.user, case_a.number, queryset=Case.objects.all())
    assert case_for(contact.user, case_a.number, queryset=Case.objects.all()) == case_a


def test_case_for_update_checks_visibility_before_permission(contact, reader, other_contact, case_a):
    assert case_for_update(contact.user, case_a.number) == case_a
    with pytest.raises(PermissionDenied):
        case_for_update(reader.user, case_a.number)
    with pytest.raises(Http404):  # 404, not 403: another reseller learns nothing about the case
        case_for_update(other_contact.user, case_a.number)


def test_attachment_for(contact, reader, other_contact, staff, attachment_a, case_b):
    number = attachment_a.case.number
    assert attachment_for(contact.user, number, attachment_a.pk) == attachment_a
    assert attachment_for(reader.user, number, attachment_a.pk) == attachment_a
    assert attachment_for(staff, number, attachment_a.pk) == attachment_a
    with pytest.raises(Http404):
        attachment_for(other_contact.user, number, attachment_a.pk)
    with pytest.raises(Http404):
        attachment_for(other_contact.user, case_b.number, attachment_a.pk)
    with pytest.raises(Http404):
        attachment_for(contact.user, number, attachment_a.pk + 1000)


def test_accounts_visible_to(account, contact, reader, other_contact, staff):
    from django.contrib.auth.models import AnonymousUser

    other_account = other_contact.reseller.accounts.get()
    EndUserAccountFactory()  # a third reseller's account
    assert list(EndUserAccount.objects.visible_to(contact.user)) == [account]
    assert list(EndUserAccount.objects.visible_to(reader.user)) == [account]
    assert list(EndUserAccount.objects.visible_to(other_contact.user)) == [other_account]
    assert EndUserAccount.objects.visible_to(staff).count() == EndUserAccount.objects.count() == 3
    assert not EndUserAccount.objects.visible_to(AnonymousUser()).exists()


def test_memberships_and_roles(contact, reader, other_contact, staff):
    from django.contrib.auth.models import AnonymousUser

    assert set(Membership.objects.visible_to(contact.user)) == {contact, reader}
    assert list(Membership.objects.visible_to(other_contact.user)) == [other_contact]
    assert not Membership.objects.visible_to(staff).exists()
    assert access.is_designated_contact(contact.user)
    assert not access.is_designated_contact(reader.user)
    assert access.is_care_staff(staff) and access.may_enter_admin(staff)
    assert not access.is_care_staff(contact.user)
    assert access.reseller_of(contact.user) == contact.reseller
    assert access.reseller_of(staff) is None
    assert access.membership_of(AnonymousUser()) is None
    with pytest.raises(PermissionDenied):
        access.require_designated_contact(reader.user)
    with pytest.raises(PermissionDenied):
        access.require_designated_contact(staff)
    assert access.require_designated_contact(contact.user) == contact
