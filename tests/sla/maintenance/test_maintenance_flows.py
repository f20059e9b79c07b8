"""Reschedule requests (portal -> Care -> reseller) and unplanned maintenance (emails once, banner)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal.models import CloudService
from portal.notify.models import Notification
from sla.maintenance import services as maintenance
from sla.maintenance.models import RescheduleRequest, UnplannedMaintenance, UnplannedNoticeDelivery
from tests.portal.factories import (
    DesignatedContactFactory,
    EndUserAccountFactory,
    MembershipFactory,
    ResellerFactory,
)

pytestmark = pytest.mark.django_db


def service(code: str) -> CloudService:
    return CloudService.objects.get(code=code)


@pytest.fixture
def premier_account(reseller):  # type: ignore[no-untyped-def]
    return EndUserAccountFactory(reseller=reseller, name="Harbour Bank", services=[service("premier-edition")])


def _window(account):  # type: ignore[no-untyped-def]
    return maintenance.account_windows([account], after=timezone.now() + timedelta(days=1), count=1)[0]


def _post(account, window) -> dict:  # type: ignore[no-untyped-def,type-arg]
    proposed = timezone.localtime(window.start + timedelta(days=2))
    return {"account": account.pk, "rule": window.rule.pk, "occurrence_start": int(window.planned_start.timestamp()),
            "proposed_start": proposed.strftime("%Y-%m-%dT%H:%M"),
            "proposed_end": (proposed + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "Black Friday campaign"}


# --- reschedule ------------------------------------------------------------------------------------


def test_reschedule_request_then_acceptance_emails_care_then_the_contact_who_asked(
        client_for, contact, second_contact, reader, staff, premier_account, django_capture_on_commit_callbacks):
    window = _window(premier_account)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(contact.user).post("/maintenance/reschedule/", _post(premier_account, window))
    assert response.status_code == 302
    request = RescheduleRequest.objects.get()
    assert request.occurrence_start == window.planned_start
    assert request.status == RescheduleRequest.Status.PENDING
    assert request.proposed_start == window.start + timedelta(days=2) - timedelta(seconds=window.start.second)
    assert [m.to for m in mail.outbox] == [[settings.CARE_QUEUE_EMAIL]]
    assert "Harbour Bank" in mail.outbox[0].subject
    assert "Black Friday campaign" in mail.outbox[0].body
    assert len(mail.outbox[0].alternatives) == 1
    # The page flags the pending request.
    assert "reschedule requested" in client_for(contact.user).get("/maintenance/").content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(f"/admin/sla/reschedulerequest/{request.pk}/change/",
                                          {"decision": "accept", "decision_note": "Fine by us."})
    assert response.status_code == 302, response.content.decode()[:3000]
    request.refresh_from_db()
    assert request.status == RescheduleRequest.Status.ACCEPTED
    assert request.decided_by == staff
    # Only the contact who asked hears the outcome, not every Designated Contact.
    assert [m.to for m in mail.outbox] == [[contact.user.email]]
    assert "accepted" in mail.outbox[0].body
    # The accepted occurrence moves; its UID stays the rule's own occurrence.
    moved = next(w for w in maintenance.account_windows([premier_account], after=timezone.now(), count=6)
                 if w.planned_start == window.planned_start)
    assert moved.rescheduled and moved.start == request.proposed_start and moved.uid == window.uid


def test_decline_needs_a_reason_and_emails_the_contact_who_asked(contact, second_contact, staff, premier_account,
                                                                 django_capture_on_commit_callbacks):
    window = _window(premier_account)
    request = maintenance.reschedule_request_create(
        account=premier_account, contact=contact.user, rule=window.rule, occurrence_start=window.planned_start,
        proposed_start=window.start + timedelta(days=1), proposed_end=window.end + timedelta(days=1),
        reason="Audit",
    )
    with pytest.raises(ValidationError):
        maintenance.reschedule_request_decide(request=request, actor=staff, accept=False)
    with pytest.raises(PermissionDenied):
        maintenance.reschedule_request_decide(request=request, actor=contact.user, accept=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        maintenance.reschedule_request_decide(request=request, actor=staff, accept=False, note="Security patch.")
    assert [m.to for m in mail.outbox] == [[contact.user.email]]
    assert "declined" in mail.outbox[0].body and "Security patch." in mail.outbox[0].body
    with pytest.raises(ValidationError):
        maintenance.reschedule_request_decide(request=request, actor=staff, accept=True)


def test_reschedule_validation(contact, other_contact, premier_account):
    window = _window(premier_account)
    good = {"account": premier_account, "contact": contact.user, "rule": window.rule,
            "occurrence_start": window.planned_start, "proposed_start": window.start + timedelta(days=1),
            "proposed_end": window.end + timedelta(days=1), "reason": "Audit"}
    with pytest.raises(ValidationError) as error:
        maintenance.reschedule_request_create(**{**good, "proposed_end": good["proposed_start"]})
    assert "proposed_end" in error.value.message_dict
    with pytest.raises(ValidationError):
        maintenance.reschedule_request_create(**{**good, "reason": "  "})
    with pytest.raises(ValidationError):
        maintenance.reschedule_request_create(**{**good, "occurrence_start": window.planned_start + timedelta(hours=1)})
    with pytest.raises(PermissionDenied):
        maintenance.reschedule_request_create(**{**good, "contact": other_contact.user})
    maintenance.reschedule_request_create(**good)
    with pytest.raises(ValidationError):  # one pending request per occurrence
        maintenance.reschedule_request_create(**good)
    # A rule of a service the account does not have.
    outbound = service("outbound-engagement").maintenance_rules.first()
    with pytest.raises(ValidationError):
        maintenance.reschedule_request_create(**{**good, "rule": outbound})


# --- unplanned maintenance -------------------------------------------------------------------------


@pytest.fixture
def affected(reseller, contact, second_contact, reader, premier_account):  # type: ignore[no-untyped-def]
    return reseller


@pytest.fixture
def bystander():  # type: ignore[no-untyped-def]
    """A reseller whose accounts use another service: not affected."""
    other = ResellerFactory(name="Quiet Reseller")
    EndUserAccountFactory(reseller=other, services=[service("outbound-engagement")])
    return DesignatedContactFactory(reseller=other, user__username="quinn")


def _announce(staff, **overrides):  # type: ignore[no-untyped-def]
    now = timezone.now()
    fields = {"services": [service("premier-edition")], "starts_at": now + timedelta(hours=1),
              "ends_at": now + timedelta(hours=3), "description": "Emergency database patch."}
    return maintenance.unplanned_maintenance_announce(actor=staff, **{**fields, **overrides})


def test_unplanned_notice_emails_every_contact_of_affected_resellers_exactly_once(
        staff, affected, contact, second_contact, bystander, django_capture_on_commit_callbacks):
    other = ResellerFactory(name="Second Affected")
    EndUserAccountFactory(reseller=other, services=[service("premier-edition"), service("pureengage-cloud")])
    third = DesignatedContactFactory(reseller=other, user__username="zoe")
    MembershipFactory(reseller=other, user__username="reader2")  # a reader is not emailed
    with django_capture_on_commit_callbacks(execute=True):
        notice = _announce(staff)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([contact.user.email, second_contact.user.email, third.user.email])
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert "Emergency database patch." in mail.outbox[0].body
    assert UnplannedNoticeDelivery.objects.filter(notice=notice, sent_at__isnull=False).count() == 3
    # Each delivery row has its one outbox row, named after it.
    assert sorted(Notification.objects.values_list("dedupe_key", flat=True)) == sorted(
        f"unplanned-notice:{pk}" for pk in UnplannedNoticeDelivery.objects.values_list("pk", flat=True))

    # Running the notify again (or re-saving) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert maintenance.unplanned_maintenance_notify(notice=notice, actor=staff) == 0
        maintenance.unplanned_maintenance_update(
            notice=notice, actor=staff, services=[service("premier-edition")], starts_at=notice.starts_at,
            ends_at=notice.ends_at + timedelta(hours=1), description="Patch, extended.")
    assert len(mail.outbox) == 3
    assert UnplannedNoticeDelivery.objects.count() == 3

    # Widening the notice to a service the bystander uses reaches only the bystander's contact.
    with django_capture_on_commit_callbacks(execute=True):
        maintenance.unplanned_maintenance_update(
            notice=notice, actor=staff, services=[service("premier-edition"), service("outbound-engagement")],
            starts_at=notice.starts_at, ends_at=notice.ends_at, description="Patch, extended.")
    assert len(mail.outbox) == 4
    assert mail.outbox[-1].to == [bystander.user.email]


def test_a_repeated_delivery_of_an_unplanned_notice_sends_nothing(staff, affected,
                                                                  django_capture_on_commit_callbacks):
    from portal.notify.services import notification_deliver
    from sla.maintenance.emails import unplanned_notice_notify

    with django_capture_on_commit_callbacks(execute=True):
        _announce(staff)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        for delivery in UnplannedNoticeDelivery.objects.all():
            unplanned_notice_notify(delivery=delivery)  # the same key: nothing new is queued
    for row in Notification.objects.all():
        assert notification_deliver(notification_id=row.pk) is False  # sent is final
    assert len(mail.outbox) == sent == Notification.objects.filter(status="sent").count()


def test_only_care_staff_may_send_the_notices(staff, contact, affected):
    notice = _announce(staff)
    with pytest.raises(PermissionDenied):
        maintenance.unplanned_maintenance_notify(notice=notice, actor=contact.user)


def test_nothing_is_queued_when_the_announcement_rolls_back(staff, affected, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            _announce(staff)
            raise RuntimeError("the request failed after the notice was written")
    assert not UnplannedNoticeDelivery.objects.exists() and not Notification.objects.exists()
    assert mail.outbox == []


def test_each_reader_gets_their_zone_and_language_and_an_unescaped_subject(
        staff, reseller, premier_account, django_capture_on_commit_callbacks):
    greta = DesignatedContactFactory(reseller=reseller, user__username="greta", user__language="de",
                                     user__time_zone="Australia/Sydney").user
    sam = DesignatedContactFactory(reseller=reseller, user__username="sam", user__language="en",
                                   user__time_zone="America/New_York").user
    rnd = CloudService.objects.create(code="rnd-lab", name="R&D <lab>")
    premier_account.services.add(rnd)
    starts = timezone.now().replace(month=12, day=1, hour=23, minute=30, second=0, microsecond=0)
    if starts < timezone.now():
        starts = starts.replace(year=starts.year + 1)
    with django_capture_on_commit_callbacks(execute=True):
        _announce(staff, services=[rnd], starts_at=starts, ends_at=starts + timedelta(hours=2))
    by_reader = {m.to[0]: m for m in mail.outbox}
    # 23:30 UTC on 1 December: 10:30 on the 2nd in Sydney, 18:30 on the 1st in New York.
    assert f" 2 Dezember {starts.year}, 10:30 Australia/Sydney" in by_reader[greta.email].body
    assert f" 1 December {starts.year}, 18:30 America/New_York" in by_reader[sam.email].body
    assert by_reader[sam.email].subject == "Unplanned maintenance: R&D <lab>"
    assert "R&amp;D &lt;lab&gt;" in by_reader[sam.email].alternatives[0][0]


def test_announce_validation_and_staff_only(staff, contact):
    now = timezone.now()
    with pytest.raises(ValidationError):
        _announce(staff, ends_at=now + timedelta(minutes=30), starts_at=now + timedelta(hours=1))
    with pytest.raises(ValidationError):
        _announce(staff, services=[])
    with pytest.raises(ValidationError):
        _announce(staff, starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))
    with pytest.raises(PermissionDenied):
        _announce(contact.user)
    assert not UnplannedMaintenance.objects.exists()


def test_admin_add_announces_through_the_service_once(client_for, staff, affected, contact, second_contact,
                                                      django_capture_on_commit_callbacks):
    now = timezone.localtime(timezone.now())
    data = {"services": [service("premier-edition").pk],
            "starts_at_0": now.strftime("%Y-%m-%d"), "starts_at_1": now.strftime("%H:%M:%S"),
            "ends_at_0": (now + timedelta(hours=2)).strftime("%Y-%m-%d"),
            "ends_at_1": (now + timedelta(hours=2)).strftime("%H:%M:%S"),
            "description": "Network maintenance.",
            "deliveries-TOTAL_FORMS": 0, "deliveries-INITIAL_FORMS": 0,
            "deliveries-MIN_NUM_FORMS": 0, "deliveries-MAX_NUM_FORMS": 1000}
    browser = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/admin/sla/unplannedmaintenance/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    notice = UnplannedMaintenance.objects.get()
    assert notice.created_by == staff
    assert len(mail.outbox) == 2
    data["deliveries-TOTAL_FORMS"] = data["deliveries-INITIAL_FORMS"] = 2
    for index, delivery in enumerate(notice.deliveries.order_by("id")):
        data[f"deliveries-{index}-id"] = delivery.pk
        data[f"deliveries-{index}-notice"] = notice.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"/admin/sla/unplannedmaintenance/{notice.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert len(mail.outbox) == 2  # re-saving sends nothing more
    assert browser.get(f"/admin/sla/unplannedmaintenance/{notice.pk}/change/").status_code == 200


def test_banner_shown_to_affected_resellers_only_and_gone_after_the_end(
        monkeypatch, client_for, staff, affected, contact, reader, bystander):
    notice = _announce(staff)
    for who in (contact, reader):
        body = client_for(who.user).get("/").content.decode()
        assert "Emergency database patch." in body and "maintenance-banner" in body
    assert "Emergency database patch." not in client_for(bystander.user).get("/").content.decode()
    assert "maintenance-banner" not in client_for(bystander.user).get("/maintenance/").content.decode()
    # After the expected end, the banner is gone.
    later = notice.ends_at + timedelta(minutes=1)
    monkeypatch.setattr(maintenance, "current_time", lambda: later)
    assert "maintenance-banner" not in client_for(contact.user).get("/").content.decode()


def test_rules_are_editable_in_admin(client_for, staff):
    rule = service("premier-edition").maintenance_rules.get()
    browser = client_for(staff)
    assert browser.get("/admin/sla/maintenancerule/").status_code == 200
    response = browser.post(f"/admin/sla/maintenancerule/{rule.pk}/change/", {
        "service": rule.service_id, "weekdays": "[1, 2, 3, 4]", "start_time": "21:00", "end_time": "04:00",
        "time_zone": "America/New_York", "note": rule.note, "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]
    rule.refresh_from_db()
    assert rule.weekdays == [1, 2, 3, 4]
    bad = browser.post(f"/admin/sla/maintenancerule/{rule.pk}/change/", {
        "service": rule.service_id, "weekdays": "[9]", "start_time": "21:00", "end_time": "04:00",
        "time_zone": "America/New_York", "is_active": "on"})
    assert bad.status_code == 200  # the form shows the error
    rule.refresh_from_db()
    assert rule.weekdays == [1, 2, 3, 4]


def test_admin_pages_render(client_for, staff, contact, premier_account):
    window = _window(premier_account)
    request = maintenance.reschedule_request_create(
        account=premier_account, contact=contact.user, rule=window.rule, occurrence_start=window.planned_start,
        proposed_start=window.start + timedelta(days=1), proposed_end=window.end + timedelta(days=1), reason="Audit")
    maintenance.feed_token_regenerate(reseller=contact.reseller, actor=contact.user)
    browser = client_for(staff)
    for url in ("/admin/sla/reschedulerequest/", f"/admin/sla/reschedulerequest/{request.pk}/change/",
                "/admin/sla/unplannedmaintenance/add/", "/admin/sla/maintenancefeed/",
                "/admin/sla/maintenancerule/add/"):
        assert browser.get(url).status_code == 200, url
    # A pending request cannot be saved without a decision.
    response = browser.post(f"/admin/sla/reschedulerequest/{request.pk}/change/", {"decision_note": "?"})
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == RescheduleRequest.Status.PENDING


def test_a_decision_the_service_refuses_is_a_form_error_and_saves_nothing(
    client_for, staff, contact, premier_account
):
    window = _window(premier_account)
    request = maintenance.reschedule_request_create(
        account=premier_account, contact=contact.user, rule=window.rule, occurrence_start=window.planned_start,
        proposed_start=window.start + timedelta(days=1), proposed_end=window.end + timedelta(days=1), reason="Audit")
    # Declining needs a reason for the reseller; only the service knows that rule.
    response = client_for(staff).post(
        f"/admin/sla/reschedulerequest/{request.pk}/change/", {"decision": "decline", "decision_note": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tell the reseller why the request is declined." in page
    assert "was changed successfully" not in page
    assert '<option value="decline" selected>' in page  # the typed decision stays
    request.refresh_from_db()
    assert request.status == RescheduleRequest.Status.PENDING
    assert request.decided_by is None
