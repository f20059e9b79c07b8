"""Each staff role reaches what portal.roles gives it in admin, and no further."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied

from portal import roles
from portal.models import Membership
from portal.tenancy import services
from tests.admin_forms import change_form_data
from tests.cases.factories import CaseFactory
from tests.portal.factories import MembershipFactory, RoleStaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _codenames(group: Group) -> set[str]:
    return {f"{app}.{code}" for app, code in group.permissions.values_list("content_type__app_label", "codename")}


def test_the_migration_made_each_role_with_exactly_its_table_of_existing_permissions():
    existing = {f"{app}.{code}" for app, code in Permission.objects.values_list("content_type__app_label",
                                                                                "codename")}
    assert set(Group.objects.filter(name__in=roles.ROLES).values_list("name", flat=True)) == set(roles.ROLES)
    for name, wanted in roles.ROLES.items():
        assert _codenames(Group.objects.get(name=name)) == set(wanted) & existing, name
    assert "portal.view_auditevent" in _codenames(Group.objects.get(name=roles.ADMINISTRATOR))
    assert not Group.objects.filter(name=roles.LEGACY_PRIVACY_GROUP).exists()


def test_sync_restores_a_role_edited_by_hand():
    lead = Group.objects.get(name=roles.CARE_LEAD)
    lead.permissions.add(Permission.objects.get(codename="delete_case"))
    lead.permissions.remove(Permission.objects.get(codename="change_slapolicy"))
    roles.roles_sync()
    codes = _codenames(lead)
    assert "sla.change_slapolicy" in codes and "cases.delete_case" not in codes


def test_the_old_data_privacy_group_keeps_its_members_as_privacy_officers():
    officer = Group.objects.get(name=roles.PRIVACY_OFFICER)
    kept, moved = UserFactory(username="kept"), UserFactory(username="moved")
    officer.user_set.add(kept)
    Group.objects.create(name=roles.LEGACY_PRIVACY_GROUP).user_set.add(moved)
    roles.privacy_group_rename(apps)
    assert set(officer.user_set.values_list("username", flat=True)) == {"kept", "moved"}
    assert not Group.objects.filter(name=roles.LEGACY_PRIVACY_GROUP).exists()


@pytest.mark.parametrize(("role", "allowed", "refused"), [
    (roles.CARE_ENGINEER,
     ["/admin/cases/case/", "/admin/cases/postmortem/", "/admin/sla/slapolicy/", "/admin/portal/membership/"],
     ["/admin/sla/slapolicy/add/", "/admin/sla/supportcalendar/add/", "/admin/sla/maintenancerule/add/",
      "/admin/cases/dataprivacyrequest/", "/admin/portal/user/add/", "/admin/auth/group/"]),
    (roles.CARE_LEAD,
     ["/admin/cases/case/", "/admin/sla/slapolicy/add/", "/admin/sla/supportcalendar/add/",
      "/admin/sla/maintenancerule/add/", "/admin/portal/enduseraccount/add/"],
     ["/admin/cases/dataprivacyrequest/", "/admin/portal/user/add/", "/admin/auth/group/"]),
    (roles.PRIVACY_OFFICER,
     ["/admin/cases/dataprivacyrequest/"],
     ["/admin/cases/case/", "/admin/sla/slapolicy/", "/admin/portal/user/", "/admin/portal/membership/"]),
    (roles.ADMINISTRATOR,
     ["/admin/portal/user/", "/admin/portal/user/add/", "/admin/auth/group/"],
     ["/admin/cases/case/", "/admin/cases/dataprivacyrequest/", "/admin/sla/slapolicy/",
      "/admin/auth/group/add/"]),
])
def test_each_role_reaches_its_admin_pages_and_no_others(client_for, role, allowed, refused):
    client = client_for(RoleStaffFactory(role=role))
    for url in allowed:
        assert client.get(url).status_code == 200, (role, url)
    for url in refused:
        assert client.get(url).status_code == 403, (role, url)


def test_an_engineer_works_a_case_page_and_reads_sla_policies_without_changing_them(client_for):
    case = CaseFactory()
    client = client_for(RoleStaffFactory(role=roles.CARE_ENGINEER))
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert page.status_code == 200 and page.context["has_change_permission"]
    from sla.models import SlaPolicy

    policy = SlaPolicy.objects.first()
    assert policy is not None  # Table 1 is loaded by a data migration
    policy_page = client.get(f"/admin/sla/slapolicy/{policy.pk}/change/")
    assert policy_page.status_code == 200 and not policy_page.context["has_change_permission"]


def test_an_engineer_assigns_a_case_to_themselves_and_replies_from_its_admin_page(client_for):
    from cases.models import Status

    case = CaseFactory()
    engineer = RoleStaffFactory(role=roles.CARE_ENGINEER)
    client = client_for(engineer)
    url = f"/admin/cases/case/{case.pk}/change/"
    data = change_form_data(client, url)
    data.update({"status": Status.IN_PROGRESS, "assignee": str(engineer.pk), "replies-0-body": "We are on it."})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    case.refresh_from_db()
    assert (case.status, case.assignee) == (Status.IN_PROGRESS, engineer)
    assert case.replies.get().body == "We are on it."


def test_only_a_lead_approves_designated_contacts(client_for, reseller):
    nominee = MembershipFactory(reseller=reseller, designation=Membership.Designation.NOMINATED,
                                phone_24x7="+1 212 555 0100")
    engineer = RoleStaffFactory(role=roles.CARE_ENGINEER)
    with pytest.raises(PermissionDenied):
        services.contact_approve(staff=engineer, membership=nominee)
    client_for(engineer).post("/admin/portal/membership/", {"action": "approve", "_selected_action": [nominee.pk]})
    nominee.refresh_from_db()
    assert nominee.designation == Membership.Designation.NOMINATED
    client_for(RoleStaffFactory(role=roles.CARE_LEAD)).post(
        "/admin/portal/membership/", {"action": "approve", "_selected_action": [nominee.pk]})
    nominee.refresh_from_db()
    assert nominee.designation == Membership.Designation.APPROVED


def test_sla_services_refuse_an_engineer_and_accept_a_lead():
    from sla.models import SlaTarget
    from sla.targets import services as targets

    target = SlaTarget.objects.exclude(unit="none").first()
    assert target is not None  # Table 1 is loaded by a data migration
    with pytest.raises(PermissionDenied):
        targets.target_update(target=target, actor=RoleStaffFactory(role=roles.CARE_ENGINEER),
                              unit=target.unit, amount=target.amount + 1)
    changed = targets.target_update(target=target, actor=RoleStaffFactory(role=roles.CARE_LEAD),
                                    unit=target.unit, amount=target.amount + 1)
    assert changed.amount == target.amount + 1
