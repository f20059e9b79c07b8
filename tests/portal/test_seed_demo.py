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
    care = User.objects.get(username="care")
    assert care.is_staff and care.is_superuser and care.check_password("demo-pass-2026")
    assert User.objects.get(username="alice").check_password("demo-pass-2026")
    privacy = User.objects.get(username="privacy")
    assert privacy.is_staff and not privacy.is_superuser
    assert privacy.groups.filter(name="Data privacy").exists()
    assert privacy.has_perm("cases.view_dataprivacyrequest")


def test_seed_demo_publishes_a_feature_request_each_reseller_can_see(client):
    from cases.models import FeatureRequest

    call_command("seed_demo")
    assert FeatureRequest.objects.filter(is_published=True).values("reseller").distinct().count() == 2
    client.force_login(User.objects.get(username="dana"))
    page = client.get("/requests/features/").content.decode()
    assert "Bulk export of wallboard history" in page
