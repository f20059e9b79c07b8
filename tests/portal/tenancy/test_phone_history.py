"""A Designated Contact's 24x7 phone: admin saves it through contact_phone_update, which checks for
Care staff, refuses to leave a contact unreachable and records the change."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from portal.models import ChangeRecord, Membership
from portal.tenancy import services
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def url(membership: Membership) -> str:
    return f"/admin/portal/membership/{membership.pk}/change/"


def test_a_phone_changed_in_admin_is_recorded(staff, client_for, contact):
    client = client_for(staff)
    data = change_form_data(client, url(contact))
    data["phone_24x7"] = " +44 20 7946 0000 "
    response = client.post(url(contact), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    contact.refresh_from_db()
    assert contact.phone_24x7 == "+44 20 7946 0000"
    [row] = ChangeRecord.objects.all()
    assert (row.changed_object, row.actor, row.field, row.old_value, row.new_value) == (
        contact, staff, "phone_24x7", "+1 212 555 0100", "+44 20 7946 0000")


def test_clearing_a_designated_contacts_phone_re_renders_and_saves_nothing(staff, client_for, contact):
    client = client_for(staff)
    data = change_form_data(client, url(contact))
    data["phone_24x7"] = "   "
    data["job_title"] = "Head of support"
    response = client.post(url(contact), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["phone_24x7"]
    assert form["job_title"].value() == "Head of support"
    assert "changed successfully" not in response.content.decode()
    contact.refresh_from_db()
    assert (contact.phone_24x7, contact.job_title) == ("+1 212 555 0100", "")
    assert not ChangeRecord.objects.exists()


def test_a_reader_may_be_left_without_a_phone(staff, reader):
    reader.phone_24x7 = "+1 555 0000"
    reader.save()
    services.contact_phone_update(membership=reader, actor=staff, phone_24x7="")
    reader.refresh_from_db()
    assert reader.phone_24x7 == ""
    assert ChangeRecord.objects.get().old_value == "+1 555 0000"


def test_only_care_staff_may_change_a_phone(contact, second_contact):
    with pytest.raises(PermissionDenied):
        services.contact_phone_update(membership=second_contact, actor=contact.user, phone_24x7="+1 000")
    second_contact.refresh_from_db()
    assert second_contact.phone_24x7 == "+1 212 555 0100"
    assert not ChangeRecord.objects.exists()
