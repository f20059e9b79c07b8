"""What the audit trail records: sign-ins, passwords, admin actions, MFA events, denied looks."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client, RequestFactory
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.audit.models import AuditEvent, AuditKind
from portal.audit.services import audit_record
from portal.models import Membership, Reseller
from tests.cases.factories import CaseFactory
from tests.portal.audit.signin import WRONG_PASSWORD, sign_in
from tests.portal.factories import TEST_PASSWORD, DesignatedContactFactory, EndUserAccountFactory, StaffFactory
from tests.portal.mfa.factories import login_verified

pytestmark = pytest.mark.django_db


def test_a_failed_sign_in_is_recorded_with_username_ip_and_path(contact):
    sign_in("alice", WRONG_PASSWORD, ip="203.0.113.44")
    event = AuditEvent.objects.get(kind=AuditKind.LOGIN_FAILED)
    assert (event.username, event.ip, event.path, event.actor) == ("alice", "203.0.113.44", "/accounts/login/", None)
    assert WRONG_PASSWORD not in str(event.detail)


def test_sign_in_lockout_and_sign_out_are_recorded(contact, settings):
    settings.AXES_FAILURE_LIMIT = 2
    browser = Client(REMOTE_ADDR="203.0.113.5")
    assert sign_in("alice", TEST_PASSWORD, ip="203.0.113.5", client=browser).status_code == 302
    signed_in = AuditEvent.objects.get(kind=AuditKind.LOGIN_SUCCEEDED)
    assert (signed_in.actor, signed_in.reseller, signed_in.ip) == (contact.user, contact.reseller, "203.0.113.5")
    browser.post("/accounts/logout/", REMOTE_ADDR="203.0.113.5")
    assert AuditEvent.objects.filter(kind=AuditKind.LOGGED_OUT, actor=contact.user).count() == 1
    for _ in range(3):
        sign_in("alice", WRONG_PASSWORD, ip="203.0.113.6")
    # Two checked passwords; the second starts the lockout, the third is refused unread.
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN_FAILED, username="alice").count() == 2
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN_LOCKED_OUT, username="alice").count() == 2


def test_a_designated_contact_looking_at_another_resellers_case_gets_a_404_and_a_trail_row(account, contact):
    case_a = CaseFactory(account=account, opened_by=contact.user)
    other = DesignatedContactFactory(reseller__name="Blue Yonder", user__username="mallory")
    EndUserAccountFactory(reseller=other.reseller)
    browser = Client()
    browser.force_login(other.user)
    response = browser.get(f"/cases/{case_a.number}/")
    assert response.status_code == 404
    event = AuditEvent.objects.get(kind=AuditKind.ACCESS_DENIED)
    assert (event.actor, event.username, event.reseller) == (other.user, "mallory", other.reseller)
    assert event.path == f"/cases/{case_a.number}/"
    assert (event.object_type, event.object_id) == ("cases.case", str(case_a.pk))
    # A case that does not exist is a 404 like any other, and no one's secret: nothing recorded.
    assert browser.get("/cases/CS-999999/").status_code == 404
    assert AuditEvent.objects.filter(kind=AuditKind.ACCESS_DENIED).count() == 1


def test_the_404_for_a_foreign_case_reads_like_the_404_for_a_missing_one(account, contact):
    case_a = CaseFactory(account=account, opened_by=contact.user)
    other = DesignatedContactFactory(reseller__name="Blue Yonder")
    browser = Client()
    browser.force_login(other.user)
    def page(url: str) -> str:  # the logout form's CSRF token is masked afresh on every page
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", browser.get(url).content.decode())

    assert page(f"/cases/{case_a.number}/") == page("/cases/CS-999999/")


def test_an_admin_change_is_recorded():
    staff = StaffFactory(username="casey")
    reseller = Reseller.objects.create(name="Northwind")
    browser = Client()
    login_verified(browser, staff)
    response = browser.post(f"/admin/portal/reseller/{reseller.pk}/change/", {"name": "Northwind Telecom"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(kind=AuditKind.ADMIN_CHANGED)
    assert (event.actor, event.object_type, event.object_id) == (staff, "portal.reseller", str(reseller.pk))
    assert event.object_repr == "Northwind Telecom"
    assert "Name" in event.detail["change"]


def test_deleting_several_objects_in_admin_records_each():
    staff = StaffFactory()
    doomed = [Reseller.objects.create(name=f"Gone {n}") for n in range(3)]
    browser = Client()
    login_verified(browser, staff)
    response = browser.post("/admin/portal/reseller/", {
        "action": "delete_selected", "_selected_action": [r.pk for r in doomed], "post": "yes",
    })
    assert response.status_code == 302
    deleted = AuditEvent.objects.filter(kind=AuditKind.ADMIN_DELETED, object_type="portal.reseller")
    assert sorted(deleted.values_list("object_repr", flat=True)) == ["Gone 0", "Gone 1", "Gone 2"]
    assert set(deleted.values_list("actor", flat=True)) == {staff.pk}


def test_a_password_change_and_a_completed_reset_are_recorded(contact):
    browser = Client()
    browser.force_login(contact.user)
    new_password = "a-much-longer-secret-2026"  # noqa: S105
    response = browser.post("/accounts/password_change/", {
        "old_password": TEST_PASSWORD, "new_password1": new_password, "new_password2": new_password,
    })
    assert response.status_code == 302
    changed = AuditEvent.objects.get(kind=AuditKind.PASSWORD_CHANGED)
    assert (changed.actor, changed.object_id) == (contact.user, str(contact.user.pk))

    user = contact.user
    user.refresh_from_db()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    anonymous = Client()
    form_url = anonymous.get(f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/")["Location"]
    chosen = "yet-another-secret-42"  # noqa: S105
    response = anonymous.post(form_url, {"new_password1": chosen, "new_password2": chosen})
    assert response.status_code == 302
    reset = AuditEvent.objects.get(kind=AuditKind.PASSWORD_RESET_COMPLETED)
    assert reset.actor == user


def test_audit_record_is_the_one_line_for_mfa_events(contact):
    request = RequestFactory().post("/mfa/verify/", REMOTE_ADDR="203.0.113.60")
    event = audit_record(kind=AuditKind.MFA_VERIFIED, actor=contact.user, request=request, device="totp")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.kind, stored.actor, stored.reseller, stored.ip, stored.path) == (
        "mfa_verified", contact.user, contact.reseller, "203.0.113.60", "/mfa/verify/",
    )
    assert stored.detail == {"device": "totp"}
    assert {"mfa_enrolled", "mfa_verified", "mfa_failed", "mfa_reset"} <= set(AuditKind.values)


def test_an_admin_action_on_selected_rows_is_recorded(reseller):
    staff = StaffFactory()
    nominated = DesignatedContactFactory(reseller=reseller, designation=Membership.Designation.NOMINATED)
    browser = login_verified(Client(), staff)
    response = browser.post("/admin/portal/membership/", {"action": "approve", "_selected_action": [nominated.pk]})
    assert response.status_code == 302
    event = AuditEvent.objects.get(kind=AuditKind.ADMIN_ACTION)
    assert (event.actor, event.object_type, event.path) == (staff, "portal.membership", "/admin/portal/membership/")
    assert event.detail == {"action": "approve", "selected": [str(nominated.pk)], "all_matching": False}
    # Nothing selected: admin runs nothing, and nothing is recorded.
    browser.post("/admin/portal/membership/", {"action": "approve"})
    assert AuditEvent.objects.filter(kind=AuditKind.ADMIN_ACTION).count() == 1
