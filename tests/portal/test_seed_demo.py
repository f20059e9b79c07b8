from __future__ import annotations

import pytest
from django.core.management import call_command

from cases.models import Case, CaseEvent
from portal.models import EndUserAccount, Membership, Reseller, User

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Reseller, User, Membership, EndUserAccount, Case, CaseEvent))


def test_seed_demo_builds_the_promised_world_and_is_idempotent():
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    for reseller in Reseller.objects.with_designated_count():
        assert reseller.designated_count == 2
        assert reseller.memberships.filter(designation=Membership.Designation.NONE).count() == 1
        packages = set(reseller.accounts.values_list("support_package", flat=True))
        assert len(packages) >= 2 or reseller.accounts.count() >= 2
        assert len(set(Case.objects.filter(reseller=reseller).values_list("status", flat=True))) >= 3
    assert Reseller.objects.count() >= 2
    assert User.objects.get(username="care").check_password("demo-pass-2026")
    assert User.objects.get(username="alice").check_password("demo-pass-2026")
    assert not User.objects.filter(is_superuser=True).exists()
    staff_roles = {user.username: [group.name for group in user.groups.all()]
                   for user in User.objects.filter(is_staff=True).prefetch_related("groups")}
    assert staff_roles == {
        "care": ["Care engineer"], "engineer": ["Care engineer"], "lead": ["Care lead"],
        "privacy": ["Privacy officer"], "admin": ["Administrator"],
    }
    assert User.objects.get(username="privacy").has_perm("cases.view_dataprivacyrequest")
    assert User.objects.get(username="lead").has_perm("sla.change_slapolicy")
    assert not User.objects.get(username="engineer").has_perm("sla.change_slapolicy")


def test_seed_demo_publishes_a_feature_request_each_reseller_can_see(client):
    from cases.models import FeatureRequest

    call_command("seed_demo")
    assert FeatureRequest.objects.filter(is_published=True).values("reseller").distinct().count() == 2
    client.force_login(User.objects.get(username="dana"))
    page = client.get("/requests/features/").content.decode()
    assert "Bulk export of wallboard history" in page
