"""The user admin: only a superuser grants rights, nobody edits their own, nobody sets another
person's password (portal.tenancy.users lists the rules)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from portal import roles
from portal.models import User
from tests.admin_forms import change_form_data
from tests.portal.factories import RoleStaffFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _url(user: User) -> str:
    return f"/admin/portal/user/{user.pk}/change/"


@pytest.fixture
def administrator() -> User:
    return RoleStaffFactory(username="ada", role=roles.ADMINISTRATOR)


def test_a_user_admin_who_promotes_themselves_is_refused_and_nothing_changes(client_for, administrator):
    client = client_for(administrator)
    data = change_form_data(client, _url(administrator))
    officer = Group.objects.get(name=roles.PRIVACY_OFFICER)
    data.update(is_superuser="on", is_staff="on", groups=[str(officer.pk)], first_name="Ada-Promoted")
    response = client.post(_url(administrator), data)
    assert response.status_code == 200  # the form again, with the refusal
    assert "Nobody changes their own rights" in response.content.decode()
    administrator.refresh_from_db()
    assert not administrator.is_superuser and administrator.first_name != "Ada-Promoted"
    assert list(administrator.groups.values_list("name", flat=True)) == [roles.ADMINISTRATOR]
    assert not administrator.has_perm("cases.view_dataprivacyrequest")


def test_a_user_admin_manages_names_but_cannot_grant_a_role(client_for, administrator):
    colleague = RoleStaffFactory(username="eli", role=roles.CARE_ENGINEER)
    client = client_for(administrator)
    page = client.get(_url(colleague))
    assert "groups" not in page.context["adminform"].form.fields  # shown read-only
    data = change_form_data(client, _url(colleague))
    data["first_name"] = "Elias"
    assert client.post(_url(colleague), data).status_code == 302
    colleague.refresh_from_db()
    assert colleague.first_name == "Elias"

    lead = Group.objects.get(name=roles.CARE_LEAD)
    response = client.post(_url(colleague), {**data, "groups": [str(lead.pk)]})
    assert "Only a superuser may grant" in response.content.decode()
    assert list(colleague.groups.values_list("name", flat=True)) == [roles.CARE_ENGINEER]


def test_a_user_admin_cannot_redirect_someone_elses_email_to_take_the_account_over(client_for, administrator,
                                                                                  contact):
    client = client_for(administrator)
    data = change_form_data(client, _url(contact.user))
    response = client.post(_url(contact.user), {**data, "email": "ada@example.test"})
    assert "Only a superuser may change someone else" in response.content.decode()
    contact.user.refresh_from_db()
    assert contact.user.email == "alice@example.test"


def test_a_superuser_grants_roles_but_not_to_themselves(client_for):
    root = StaffFactory(username="root")
    colleague = RoleStaffFactory(username="eli", role=roles.CARE_ENGINEER)
    client = client_for(root)
    data = change_form_data(client, _url(colleague))
    data["groups"] = [str(Group.objects.get(name=roles.CARE_LEAD).pk)]
    assert client.post(_url(colleague), data).status_code == 302
    assert list(colleague.groups.values_list("name", flat=True)) == [roles.CARE_LEAD]

    own = change_form_data(client, _url(root))
    own.pop("is_superuser", None)
    own["is_superuser"] = ""  # a crafted "untick" of their own flag
    own["is_active"] = ""
    response = client.post(_url(root), own)
    assert "Nobody changes their own rights" in response.content.decode()
    root.refresh_from_db()
    assert root.is_superuser and root.is_active


def test_a_non_superuser_cannot_change_a_superusers_account(client_for, administrator):
    root = StaffFactory(username="root", email="root@example.test")
    client = client_for(administrator)
    assert client.get(_url(root)).context["has_change_permission"] is False
    data = change_form_data(client_for(StaffFactory(username="other-root")), _url(root))
    data["email"] = "ada@example.test"
    assert client.post(_url(root), data).status_code == 403
    root.refresh_from_db()
    assert root.email == "root@example.test"


def test_nobody_sets_a_reseller_users_password_in_admin(client_for, contact):
    client = client_for(StaffFactory(username="root"))
    page = client.get(_url(contact.user)).content.decode()
    assert "../password/" not in page and "Send password reset email" in page
    password_url = f"/admin/portal/user/{contact.user.pk}/password/"
    assert client.get(password_url).status_code == 403
    before = User.objects.get(pk=contact.user.pk).password
    response = client.post(password_url, {"password1": "Taken-Over-2026!", "password2": "Taken-Over-2026!",
                                           "usable_password": "true"})
    assert response.status_code == 403
    assert User.objects.get(pk=contact.user.pk).password == before


def test_the_admin_sends_a_password_reset_link_instead(client_for, administrator, contact):
    response = client_for(administrator).post(
        "/admin/portal/user/", {"action": "send_password_reset", "_selected_action": [contact.user.pk]})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [contact.user.email] and "/accounts/reset/" in message.body
    assert message.alternatives  # text and HTML, like every email


def test_a_user_added_in_admin_has_no_password_and_no_rights(client_for, administrator):
    client = client_for(administrator)
    fields = {"username": "newbie", "email": "newbie@example.test", "first_name": "New", "last_name": "Bie",
              "_save": "Save"}
    refused = client.post("/admin/portal/user/add/", {**fields, "is_superuser": "on", "is_staff": "on"})
    assert "Only a superuser may grant" in refused.content.decode()
    assert not User.objects.filter(username="newbie").exists()
    assert client.post("/admin/portal/user/add/", fields).status_code == 302
    newbie = User.objects.get(username="newbie")
    assert not newbie.has_usable_password() and not newbie.is_staff and not newbie.is_superuser


def test_reseller_users_cannot_open_the_user_admin_even_with_the_permission(client_for, contact):
    contact.user.is_staff = True
    contact.user.save()
    contact.user.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
    assert client_for(contact.user).get("/admin/portal/user/").status_code == 404
