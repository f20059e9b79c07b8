"""Escalation to Critical by phone, the contact reachable at all times, re-determination of severity."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format

from cases.escalation import services as escalation
from cases.escalation.services import case_change_severity
from cases.intake import services
from cases.models import CaseEvent, Severity, SeverityCall, SeverityRequest, Status
from portal.models import Membership
from portal.notify.models import Notification
from sla.models import Milestone
from tests.cases.factories import CaseFactory
from tests.cases.intake.test_admin import _change_form
from tests.portal.factories import DesignatedContactFactory, MembershipFactory

pytestmark = pytest.mark.django_db

CALL_AT = (timezone.now() - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")


@pytest.fixture(autouse=True)
def addresses(settings):  # type: ignore[no-untyped-def]
    settings.CARE_QUEUE_EMAIL = "queue@care.test"
    settings.CARE_PHONE = "+1 800 555 0199"


@pytest.fixture
def case(contact, intake):  # type: ignore[no-untyped-def]
    """A High case submitted through intake, so it has SLA milestones."""
    return services.case_create(contact=contact.user, details=intake)


def _raise(client, case, **overrides):  # type: ignore[no-untyped-def]
    return client.post(f"/admin/cases/case/{case.pk}/change/", _change_form(case, **overrides))


def _superseded(case):  # type: ignore[no-untyped-def]
    return Milestone.objects.filter(case=case, superseded_at__isnull=False).count()


# --------------------------------------------------------------------------- raising severity

def test_only_staff_raise_severity(contact, case):
    with pytest.raises(PermissionDenied):
        escalation.severity_raise(
            case=case, actor=contact.user, severity=Severity.CRITICAL, caller="Alice",
            called_at=timezone.now(), reason="Outage",
        )
    case.refresh_from_db()
    assert case.severity == Severity.HIGH and not SeverityCall.objects.exists()


def test_service_refuses_a_raise_without_the_call_record(staff, case):
    with pytest.raises(ValidationError) as error:
        escalation.severity_raise(case=case, actor=staff, severity=Severity.CRITICAL, caller=" ",
                                  called_at=None, reason="")
    assert {"caller", "called_at", "reason", "on_call_contact"} <= set(error.value.message_dict)
    case.refresh_from_db()
    assert case.severity == Severity.HIGH and not SeverityCall.objects.exists()


def test_admin_raise_without_call_record_is_a_form_error(client_for, staff, contact):
    case = CaseFactory(account__reseller=contact.reseller, priority=Severity.MEDIUM)
    response = _raise(client_for(staff), case, severity=Severity.HIGH, change_reason="")
    assert response.status_code == 200
    page = response.content.decode()
    for message in ("Record who called", "Record when they called", "Record the reason"):
        assert message in page
    case.refresh_from_db()
    assert case.severity == Severity.MEDIUM
    assert not SeverityCall.objects.exists() and not case.events.exists()


def test_admin_raise_records_the_call_and_retargets(
    client_for, staff, contact, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _raise(client_for(staff), case, severity=Severity.CRITICAL, change_reason="Site down",
                          call_caller="Alice Lane", call_at=CALL_AT, on_call_contact=contact.pk)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.severity == Severity.CRITICAL and case.on_call_contact == contact
    call = SeverityCall.objects.get()
    assert (call.case, call.from_severity, call.to_severity, call.caller, call.reason, call.recorded_by) == (
        case, Severity.HIGH, Severity.CRITICAL, "Alice Lane", "Site down", staff)
    assert call.called_at.strftime("%Y-%m-%d %H:%M") == CALL_AT
    assert _superseded(case) == 3  # response, restoration and resolution re-targeted
    assert set(case.events.values_list("kind", flat=True)) >= {"severity", "on_call"}


def test_critical_needs_an_on_call_contact(client_for, staff, case):
    response = _raise(client_for(staff), case, severity=Severity.CRITICAL, change_reason="Site down",
                      call_caller="Alice", call_at=CALL_AT)
    assert response.status_code == 200
    assert "must name a Designated Contact reachable at all times" in response.content.decode()
    case.refresh_from_db()
    assert case.severity == Severity.HIGH and _superseded(case) == 0


def test_admin_offers_only_same_reseller_approved_contacts_with_a_phone(
    client_for, staff, contact, reader, other_contact, case
):
    no_phone = DesignatedContactFactory(reseller=contact.reseller, phone_24x7="")
    for membership in (other_contact, reader, no_phone):
        response = _raise(client_for(staff), case, severity=Severity.CRITICAL, change_reason="Down",
                          call_caller="Alice", call_at=CALL_AT, on_call_contact=membership.pk)
        assert response.status_code == 200, membership
        case.refresh_from_db()
        assert case.severity == Severity.HIGH and case.on_call_contact is None


@pytest.mark.parametrize("who", ["other_reseller", "reader", "no_phone", "revoked"])
def test_on_call_contact_must_be_same_reseller_approved_with_phone(staff, contact, case, who, request):
    membership = {
        "other_reseller": lambda: request.getfixturevalue("other_contact"),
        "reader": lambda: request.getfixturevalue("reader"),
        "no_phone": lambda: DesignatedContactFactory(reseller=contact.reseller, phone_24x7=""),
        "revoked": lambda: MembershipFactory(reseller=contact.reseller, phone_24x7="+1 555",
                                             designation=Membership.Designation.REVOKED),
    }[who]()
    with pytest.raises(ValidationError):
        escalation.case_name_on_call(case=case, actor=staff, membership=membership)
    case.refresh_from_db()
    assert case.on_call_contact is None


def test_a_stale_on_call_contact_does_not_allow_critical(staff, contact, case):
    escalation.case_name_on_call(case=case, actor=staff, membership=contact)
    Membership.objects.filter(pk=contact.pk).update(phone_24x7="")
    case.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        escalation.severity_raise(case=case, actor=staff, severity=Severity.CRITICAL, caller="Alice",
                                  called_at=timezone.now(), reason="Down")
    assert "on_call_contact" in error.value.message_dict


def test_lowering_needs_no_call_record(client_for, staff, case):
    response = _raise(client_for(staff), case, severity=Severity.LOW, change_reason="Workaround")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.severity == Severity.LOW and not SeverityCall.objects.exists()
    assert _superseded(case) == 3


def test_raising_to_critical_clears_the_flag(client_for, staff, contact, case):
    escalation.case_flag_critical_call(case=case, contact=contact.user)
    escalation.case_name_on_call(case=case, actor=contact.user, membership=contact)
    case.refresh_from_db()
    escalation.severity_raise(case=case, actor=staff, severity=Severity.CRITICAL, caller="Alice",
                              called_at=timezone.now(), reason="Down")
    case.refresh_from_db()
    assert case.severity == Severity.CRITICAL and case.calling_for_critical_at is None


# --------------------------------------------------------------------------- the portal

def test_new_case_form_and_high_case_page_show_the_care_phone(client_for, contact, case):
    client = client_for(contact.user)
    form = client.get("/cases/new/").content.decode()
    assert "Needs Critical?" in form and "+1 800 555 0199" in form
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "Needs Critical?" in page and "+1 800 555 0199" in page
    assert f"quote case number <strong>{case.number}</strong>" in page
    assert f'action="/cases/{case.number}/critical-call/"' in page


def test_contact_flags_a_high_case_as_calling_for_critical(client_for, contact, case):
    client = client_for(contact.user)
    response = client.post(f"/cases/{case.number}/critical-call/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.calling_for_critical_at is not None
    assert case.events.filter(kind=CaseEvent.Kind.CRITICAL_CALL, actor=contact.user).count() == 1
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "You told Customer Care" in page
    assert f'action="/cases/{case.number}/critical-call/"' not in page


def test_only_a_high_open_case_can_be_flagged(client_for, contact):
    medium = CaseFactory(account__reseller=contact.reseller, priority=Severity.MEDIUM)
    closed = CaseFactory(account__reseller=contact.reseller, status=Status.CLOSED)
    for case in (medium, closed):
        client_for(contact.user).post(f"/cases/{case.number}/critical-call/")
        case.refresh_from_db()
        assert case.calling_for_critical_at is None and not case.events.exists()


def test_portal_names_the_on_call_contact(client_for, contact, second_contact, other_contact, staff):
    case = CaseFactory(account__reseller=contact.reseller, severity=Severity.CRITICAL)
    client = client_for(contact.user)
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "needs a Designated Contact reachable at all times" in page
    assert "mallory" not in page  # another reseller's contacts are never offered
    response = client.post(f"/cases/{case.number}/on-call/", {"on_call_contact": other_contact.pk})
    assert response.status_code == 400
    response = client.post(f"/cases/{case.number}/on-call/", {"on_call_contact": second_contact.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.on_call_contact == second_contact
    event = case.events.get(kind=CaseEvent.Kind.ON_CALL)
    assert event.actor == contact.user and second_contact.phone_24x7 in event.new_value


# --------------------------------------------------------------------------- re-determination

def _request(client, case, severity, reason="Only one site affected"):  # type: ignore[no-untyped-def]
    return client.post(f"/cases/{case.number}/severity-request/", {"severity": severity, "reason": reason})


def test_request_goes_to_the_care_queue_and_the_timeline(
    client_for, contact, case, django_capture_on_commit_callbacks
):
    client = client_for(contact.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, case, Severity.MEDIUM)
    assert response.status_code == 302
    request = SeverityRequest.objects.get()
    assert (request.status, request.from_severity, request.requested_severity, request.requested_by) == (
        "pending", Severity.HIGH, Severity.MEDIUM, contact.user)
    case.refresh_from_db()
    assert case.severity == Severity.HIGH  # Care decides
    event = case.events.get(kind=CaseEvent.Kind.SEVERITY_REQUEST)
    assert not event.internal and event.detail == "Only one site affected"
    [message] = mail.outbox
    assert message.to == ["queue@care.test"]
    assert case.number in message.subject and "Only one site affected" in message.body
    assert f"/admin/cases/severityrequest/{request.pk}/change/" in message.body
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "Severity change requested" in page and "awaiting Customer Care" in page


def test_request_is_emailed_to_the_assignee(client_for, contact, staff, case, django_capture_on_commit_callbacks):
    services.case_assign(case=case, actor=staff, assignee=staff)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client_for(contact.user), case, Severity.LOW)
    assert [message.to for message in mail.outbox] == [[staff.email]]  # not the queue as well


def test_only_one_pending_request_per_case(client_for, contact, second_contact, case):
    assert _request(client_for(contact.user), case, Severity.MEDIUM).status_code == 302
    response = _request(client_for(second_contact.user), case, Severity.LOW)
    assert response.status_code == 400
    assert "already awaiting Customer Care" in response.content.decode()
    assert SeverityRequest.objects.count() == 1


def test_request_needs_a_reason_and_a_different_severity(contact, case):
    with pytest.raises(ValidationError) as error:
        escalation.severity_request_create(case=case, contact=contact.user, severity=Severity.HIGH, reason=" ")
    assert {"severity", "reason"} <= set(error.value.message_dict)
    assert not SeverityRequest.objects.exists()


def _decide(client, request, button, reason="Confirmed with the engineer"):  # type: ignore[no-untyped-def]
    return client.post(f"/admin/cases/severityrequest/{request.pk}/change/",
                       {"decision_reason": reason, button: "1"})


def test_accepting_retargets_and_tells_the_reseller(
    client_for, contact, staff, case, django_capture_on_commit_callbacks
):
    request = escalation.severity_request_create(case=case, contact=contact.user, severity=Severity.MEDIUM,
                                                 reason="One site only")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client_for(staff), request, "_accept")
    assert response.status_code == 302
    request.refresh_from_db()
    case.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_reason) == (
        "accepted", staff, "Confirmed with the engineer")
    assert case.severity == Severity.MEDIUM
    assert _superseded(case) == 3
    decision = case.events.get(kind=CaseEvent.Kind.SEVERITY_DECISION)
    assert not decision.internal and decision.new_value == "Accepted"
    assert case.events.filter(kind=CaseEvent.Kind.SEVERITY).exists()
    [message] = mail.outbox  # one email per contact: the decision carries the new severity
    assert message.to == [contact.user.email]
    assert "Accepted" in message.subject and "3 - Medium" in message.body
    page = client_for(contact.user).get(f"/cases/{case.number}/").content.decode()
    assert "Severity request decided" in page and "Confirmed with the engineer" in page


def test_declining_keeps_the_severity(client_for, contact, staff, case, django_capture_on_commit_callbacks):
    request = escalation.severity_request_create(case=case, contact=contact.user, severity=Severity.LOW,
                                                 reason="Minor")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client_for(staff), request, "_decline", reason="Forty agents are down")
    request.refresh_from_db()
    case.refresh_from_db()
    assert request.status == "declined" and case.severity == Severity.HIGH
    assert _superseded(case) == 0
    assert case.events.get(kind=CaseEvent.Kind.SEVERITY_DECISION).detail == "Forty agents are down"
    [message] = mail.outbox
    assert message.to == [contact.user.email] and "Declined" in message.subject
    # A new request is possible once the earlier one is decided.
    escalation.severity_request_create(case=case, contact=contact.user, severity=Severity.MEDIUM, reason="x")


def test_a_decision_needs_a_reason_and_staff(client_for, contact, staff, case):
    request = escalation.severity_request_create(case=case, contact=contact.user, severity=Severity.LOW,
                                                 reason="Minor")
    _decide(client_for(staff), request, "_accept", reason="")
    request.refresh_from_db()
    assert request.status == "pending"
    with pytest.raises(PermissionDenied):
        escalation.severity_request_accept(request=request, actor=contact.user, reason="ok")
    case.refresh_from_db()
    assert case.severity == Severity.HIGH


def test_accepting_a_request_for_critical_needs_an_on_call_contact(contact, staff, case):
    request = escalation.severity_request_create(case=case, contact=contact.user, severity=Severity.CRITICAL,
                                                 reason="All sites down")
    with pytest.raises(ValidationError):
        escalation.severity_request_accept(request=request, actor=staff, reason="Agreed")
    escalation.case_name_on_call(case=case, actor=contact.user, membership=contact)
    escalation.severity_request_accept(request=request, actor=staff, reason="Agreed")
    case.refresh_from_db()
    assert case.severity == Severity.CRITICAL


# --------------------------------------------------------------------------- emails on change

def _sent() -> dict[str, mail.EmailMessage]:
    """The outbox by address, after checking each message has one reader and nobody got two."""
    assert all(len(message.to) == 1 for message in mail.outbox), [m.to for m in mail.outbox]
    by_address = {message.to[0]: message for message in mail.outbox}
    assert len(by_address) == len(mail.outbox), "someone got a message twice"
    return by_address


def test_every_severity_change_is_emailed_to_each_designated_contact(
    client_for, staff, contact, second_contact, reader, case, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _raise(client_for(staff), case, severity=Severity.MEDIUM, change_reason="Workaround in place")
    sent = _sent()
    assert set(sent) == {contact.user.email, second_contact.user.email}
    for message in sent.values():
        assert message.subject == f"[{case.number}] Severity changed to 3 - Medium"
        assert "from 2 - High to 3 - Medium" in message.body and "Workaround in place" in message.body
        assert "<strong>3 - Medium</strong>" in message.alternatives[0][0]


def test_raise_to_critical_alerts_the_care_queue(staff, contact, case, django_capture_on_commit_callbacks):
    escalation.case_name_on_call(case=case, actor=contact.user, membership=contact)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        escalation.severity_raise(case=case, actor=staff, severity=Severity.CRITICAL, caller="Alice",
                                  called_at=timezone.now(), reason="All agents down")
    sent = _sent()
    assert set(sent) == {"queue@care.test", contact.user.email}
    alert = sent["queue@care.test"]
    assert alert.subject.startswith(f"CRITICAL [{case.number}]")
    assert contact.phone_24x7 in alert.body and "All agents down" in alert.body
    assert "Called by: Alice" in alert.body
    assert f"/admin/cases/case/{case.pk}/change/" in alert.body
    assert sent[contact.user.email].subject == f"[{case.number}] Severity changed to 1 - Critical"


def test_a_change_below_critical_tells_the_contacts_and_not_the_queue(
    staff, contact, second_contact, case, django_capture_on_commit_callbacks
):
    Notification.objects.all().delete()  # the case's receipt, queued when the fixture opened it
    with django_capture_on_commit_callbacks(execute=True):
        case_change_severity(case=case, actor=staff, severity=Severity.MEDIUM, reason="x")
    sent = _sent()
    assert set(sent) == {contact.user.email, second_contact.user.email}  # no alert to queue@care.test
    assert all(m.subject == f"[{case.number}] Severity changed to 3 - Medium" for m in sent.values())
    assert set(Notification.objects.values_list("kind", flat=True)) == {"case_severity_changed"}


def test_severity_change_reads_in_each_contacts_zone_and_language(
    staff, contact, case, django_capture_on_commit_callbacks
):
    contact.user.language, contact.user.time_zone = "en", "America/New_York"
    contact.user.save()
    german = DesignatedContactFactory(reseller=contact.reseller, user__username="greta",
                                      user__language="de", user__time_zone="Australia/Sydney")
    with django_capture_on_commit_callbacks(execute=True):
        case_change_severity(case=case, actor=staff, severity=Severity.MEDIUM, reason="x")
    changed_at = case.events.get(kind=CaseEvent.Kind.SEVERITY).created_at
    sent = _sent()
    with translation.override("de"):
        in_sydney = date_format(changed_at.astimezone(ZoneInfo("Australia/Sydney")), "DATETIME_FORMAT")
    with translation.override("en"):
        in_new_york = date_format(changed_at.astimezone(ZoneInfo("America/New_York")), "DATETIME_FORMAT")
    assert f"{in_sydney} (Australia/Sydney)" in sent[german.user.email].body
    assert f"{in_new_york} (America/New_York)" in sent[contact.user.email].body
    assert "(Australia/Sydney)" not in sent[contact.user.email].body
    assert in_sydney != in_new_york  # German month names and Sydney's clock, not New York's


def test_critical_alert_subject_is_not_html_escaped(staff, contact, intake, django_capture_on_commit_callbacks):
    case = services.case_create(contact=contact.user, details={**intake, "subject": "R&D <lab> down"})
    escalation.case_name_on_call(case=case, actor=contact.user, membership=contact)
    with django_capture_on_commit_callbacks(execute=True):
        escalation.severity_raise(case=case, actor=staff, severity=Severity.CRITICAL, caller="A & B",
                                  called_at=timezone.now(), reason="All <agents> down")
    alert = _sent()["queue@care.test"]
    assert alert.subject == f"CRITICAL [{case.number}] raised to Critical: R&D <lab> down"
    assert "All <agents> down" in alert.body and "Called by: A & B" in alert.body
    assert "All &lt;agents&gt; down" in alert.alternatives[0][0]


def test_a_rolled_back_escalation_sends_nothing(client_for, staff, contact, case, django_capture_on_commit_callbacks):
    escalation.case_name_on_call(case=case, actor=contact.user, membership=contact)
    Notification.objects.all().delete()  # the case's receipt, queued when the fixture opened it
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            escalation.severity_raise(case=case, actor=staff, severity=Severity.CRITICAL, caller="Alice",
                                      called_at=timezone.now(), reason="All agents down")
            request = escalation.severity_request_create(case=case, contact=contact.user,
                                                         severity=Severity.HIGH, reason="Back to High")
            escalation.severity_request_decline(request=request, actor=staff, reason="No")
            raise RuntimeError("the request failed after the writes")
    assert not Notification.objects.exists()
    assert mail.outbox == []


# --------------------------------------------------------------------------- the queue

def test_flagged_open_cases_come_first_with_a_marker(client_for, staff, contact, intake):
    first = services.case_create(contact=contact.user, details=intake)  # nearest deadline
    flagged = services.case_create(contact=contact.user, details=intake)
    closed_flagged = CaseFactory(account__reseller=contact.reseller, status=Status.CLOSED,
                                 calling_for_critical_at=timezone.now())
    client = client_for(staff)
    page = client.get("/admin/cases/case/").content.decode()
    assert page.index(first.number) < page.index(flagged.number)
    escalation.case_flag_critical_call(case=flagged, contact=contact.user)
    page = client.get("/admin/cases/case/").content.decode()
    assert page.index(flagged.number) < page.index(first.number)
    assert page.count('class="calling-for-critical"') == 1
    page = client.get("/admin/cases/case/", {"calling": "yes"}).content.decode()
    assert flagged.number in page and first.number not in page and closed_flagged.number not in page


def test_queue_shows_priority_and_filters_where_it_differs(client_for, staff):
    same = CaseFactory(priority=Severity.HIGH, severity=Severity.HIGH)
    differs = CaseFactory(priority=Severity.HIGH, severity=Severity.LOW)
    client = client_for(staff)
    page = client.get("/admin/cases/case/").content.decode()
    assert 'column-priority' in page and 'field-priority' in page
    page = client.get("/admin/cases/case/", {"priority_vs_severity": "differ"}).content.decode()
    assert differs.number in page and same.number not in page


# --------------------------------------------------------------------------- access

ROUTES = (
    ("critical-call", {}),
    ("on-call", {"on_call_contact": ""}),
    ("severity-request", {"severity": Severity.LOW, "reason": "x"}),
)


@pytest.mark.parametrize(("route", "data"), ROUTES)
def test_another_resellers_contact_gets_404(client_for, other_contact, case, route, data):
    if route == "on-call":
        data = {"on_call_contact": other_contact.pk}
    response = client_for(other_contact.user).post(f"/cases/{case.number}/{route}/", data)
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.calling_for_critical_at is None and case.on_call_contact is None
    assert not SeverityRequest.objects.exists()


@pytest.mark.parametrize(("route", "data"), ROUTES)
def test_a_plain_reader_gets_403(client_for, reader, contact, case, route, data):
    if route == "on-call":
        data = {"on_call_contact": contact.pk}
    response = client_for(reader.user).post(f"/cases/{case.number}/{route}/", data)
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.calling_for_critical_at is None and case.on_call_contact is None
    assert not SeverityRequest.objects.exists()


def test_a_reader_sees_no_escalation_forms(client_for, reader, case):
    page = client_for(reader.user).get(f"/cases/{case.number}/").content.decode()
    assert "Needs Critical?" in page
    assert "/critical-call/" not in page and "/severity-request/" not in page and "/on-call/" not in page
