"""django-simple-history on the models that move deadlines or rights: who changed what, read-only in admin."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission

from portal.models import EndUserAccount, Membership, User
from sla.models import CustomHoliday, MaintenanceRule, SlaPolicy, SlaTarget, SupportCalendar
from tests.admin_forms import change_form_data
from tests.portal.audit.signin import sign_in
from tests.portal.factories import TEST_PASSWORD, UserFactory
from tests.sla.factories import policy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [SlaPolicy, SlaTarget, SupportCalendar, CustomHoliday, EndUserAccount,
                                   MaintenanceRule, Membership, User, Group], ids=lambda model: model.__name__)
def test_each_model_that_moves_deadlines_or_rights_keeps_history(model):
    assert model.history.model._meta.db_table.endswith("historical" + model._meta.model_name)


def test_an_sla_policy_change_in_admin_leaves_a_history_row_naming_the_staff_member(staff, client_for):
    sla_policy = policy("business_care")
    before = sla_policy.history.count()
    url = f"/admin/sla/slapolicy/{sla_policy.pk}/change/"
    client = client_for(staff)
    data = change_form_data(client, url)
    data["warn_at_share"] = "0.600"
    assert client.post(url, data).status_code == 302
    assert sla_policy.history.count() == before + 1
    latest = sla_policy.history.latest()
    assert (latest.history_user, latest.history_type, latest.warn_at_share) == (staff, "~", Decimal("0.600"))

    page = client.get(f"/admin/sla/slapolicy/{sla_policy.pk}/history/")
    assert page.status_code == 200
    assert str(staff) in page.content.decode()
    # Reverting from history would skip the services' checks: the history pages only show.
    record = client.get(f"/admin/sla/slapolicy/{sla_policy.pk}/history/{latest.history_id}/")
    assert record.status_code == 200 and 'name="_save"' not in record.content.decode()


def test_an_sla_target_change_is_in_its_history(staff, client_for):
    sla_policy = policy("business_care")
    target = sla_policy.targets.exclude(unit="none").first()
    url = f"/admin/sla/slapolicy/{sla_policy.pk}/change/"
    client = client_for(staff)
    data = change_form_data(client, url)
    index = list(sla_policy.targets.order_by("severity", "kind").values_list("pk", flat=True)).index(target.pk)
    data[f"targets-{index}-amount"] = str(target.amount + 5)
    assert client.post(url, data).status_code == 302
    latest = SlaTarget.history.filter(id=target.pk).latest()
    assert (latest.amount, latest.history_user) == (target.amount + 5, staff)
    listed = client.get("/admin/sla/historicalslatarget/")
    assert listed.status_code == 200 and list(listed.context["cl"].result_list) == [latest]
    assert client.get(f"/admin/sla/historicalslatarget/{latest.pk}/delete/").status_code == 403


def test_granting_a_staff_user_a_group_and_superuser_is_in_the_user_history(staff, client_for):
    engineer = UserFactory(username="engineer", is_staff=True)
    group = Group.objects.create(name="Night shift")
    url = f"/admin/portal/user/{engineer.pk}/change/"
    client = client_for(staff)
    data = change_form_data(client, url)
    data["is_superuser"] = "on"
    for name in ("date_joined", "last_login"):  # admin splits these into a date and a time input
        data.pop(name, None)
    data["date_joined_0"], data["date_joined_1"] = engineer.date_joined.strftime("%Y-%m-%d %H:%M:%S").split()
    data["groups"] = [str(group.pk)]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = engineer.history.latest()
    assert latest.is_superuser and latest.history_user == staff
    assert [row.group for row in latest.groups.all()] == [group]
    assert not hasattr(latest, "password")  # no password hashes in the history


def test_a_group_permission_change_is_in_the_group_history(staff, client_for):
    group = Group.objects.create(name="Weekend cover")
    permission = Permission.objects.get(codename="change_slapolicy")
    url = f"/admin/auth/group/{group.pk}/change/"
    client = client_for(staff)
    data = change_form_data(client, url)
    data["permissions"] = [str(permission.pk)]
    assert client.post(url, data).status_code == 302
    latest = group.history.latest()
    assert latest.history_user == staff
    assert [row.permission for row in latest.permissions.all()] == [permission]


def test_signing_in_adds_no_user_history_row(contact):
    before = contact.user.history.count()
    assert sign_in(contact.user.username, TEST_PASSWORD).status_code == 302
    assert contact.user.history.count() == before
