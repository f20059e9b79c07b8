from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models import DesignationEvent, Membership, Reseller
from portal.tenancy import services
from tests.portal.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_contact_nominates_a_colleague_and_staff_approves(contact, reader, staff):
    services.contact_nominate(nominator=contact.user, membership=reader, phone_24x7=" +1 555 0100 ", note="On call")
    reader.refresh_from_db()
    assert (reader.designation, reader.phone_24x7) == (Membership.Designation.NOMINATED, "+1 555 0100")
    assert not reader.is_designated
    services.contact_approve(staff=staff, membership=reader)
    reader.refresh_from_db()
    assert reader.is_designated
    assert list(reader.events.order_by("created_at", "id").values_list("action", "actor")) == [
        (DesignationEvent.Action.NOMINATED, contact.user.pk),
        (DesignationEvent.Action.APPROVED, staff.pk),
    ]


def test_staff_revoke_is_recorded_and_takes_effect(contact, staff):
    services.contact_revoke(staff=staff, membership=contact, note="Left the company")
    contact.refresh_from_db()
    assert not contact.is_designated
    assert contact.events.get().note == "Left the company"


def test_nomination_needs_a_phone_reachable_at_all_times(contact, reader):
    with pytest.raises(ValidationError):
        services.contact_nominate(nominator=contact.user, membership=reader, phone_24x7="  ")


def test_reader_cannot_nominate(reader, reseller):
    colleague = MembershipFactory(reseller=reseller)
    with pytest.raises(PermissionDenied):
        services.contact_nominate(nominator=reader.user, membership=colleague, phone_24x7="1")


def test_cannot_nominate_another_resellers_user(contact, other_contact):
    stranger = MembershipFactory(reseller=other_contact.reseller)
    with pytest.raises(PermissionDenied):
        services.contact_nominate(nominator=contact.user, membership=stranger, phone_24x7="1")


def test_contacts_cannot_approve_themselves(contact, reader):
    with pytest.raises(PermissionDenied):
        services.contact_approve(staff=contact.user, membership=reader)


def test_reseller_below_two_contacts_is_flagged(reseller, contact, second_contact, staff):
    assert list(Reseller.objects.short_of_contacts()) == []
    services.contact_revoke(staff=staff, membership=second_contact)
    assert list(Reseller.objects.short_of_contacts()) == [reseller]


def test_inactive_user_does_not_count_as_designated(reseller, contact, second_contact):
    second_contact.user.is_active = False
    second_contact.user.save()
    assert Reseller.objects.with_designated_count().get().designated_count == 1


def test_dashboard_warns_when_fewer_than_two_contacts(client_for, contact):
    page = client_for(contact.user).get("/").content.decode()
    assert "has 1 approved Designated Contact" in page
    assert "requires at least 2" in page


def test_dashboard_has_no_warning_with_two_contacts(client_for, contact, second_contact):
    page = client_for(contact.user).get("/").content.decode()
    assert "requires at least 2" not in page


def test_nominate_through_the_contacts_page(client_for, contact, reader):
    response = client_for(contact.user).post(
        "/contacts/", {"colleague": reader.pk, "phone_24x7": "+1 555 0199", "note": ""}
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.designation == Membership.Designation.NOMINATED


def test_admin_lists_resellers_short_of_contacts(client_for, staff, contact):
    page = client_for(staff).get("/admin/portal/reseller/").content.decode()
    assert "below the required 2" in page
    assert "fewer than two approved Designated Contacts" in page


def test_admin_approve_action_goes_through_the_service(client_for, staff, reader):
    reader.phone_24x7 = "+1 555 0100"
    reader.save()
    client_for(staff).post(
        "/admin/portal/membership/", {"action": "approve", "_selected_action": [reader.pk]}
    )
    reader.refresh_from_db()
    assert reader.is_designated
    assert reader.events.get().actor == staff


def test_password_reset_email_has_text_and_html(client, contact):
    from django.core import mail

    response = client.post("/accounts/password_reset/", {"email": contact.user.email})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == [contact.user.email]
    assert "/accounts/reset/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "/accounts/reset/" in html
