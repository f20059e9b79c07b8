from __future__ import annotations

import importlib
import zoneinfo
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cases.intake.services import CONFIRMATION_FIELDS
from portal.models import CloudService, EndUserAccount, Membership
from tests.portal.factories import (
    DesignatedContactFactory,
    EndUserAccountFactory,
    MembershipFactory,
    ResellerFactory,
    StaffFactory,
)
from tests.portal.mfa.factories import login_verified


@pytest.fixture
def reference_data(transactional_db):  # type: ignore[no-untyped-def]
    """Transactional tests start from a flushed database: load what the data migrations load."""
    from django.apps import apps

    for module in ("portal.migrations.0002_cloud_service_catalogue", "sla.migrations.0002_support_guide_table_1",
                   "sla.migrations.0004_support_guide_table_2"):
        importlib.import_module(module).load(apps, None)


@pytest.fixture
def reseller():  # type: ignore[no-untyped-def]
    return ResellerFactory(name="Northwind")


@pytest.fixture
def account(reseller) -> EndUserAccount:  # type: ignore[no-untyped-def]
    # The catalogue is loaded by a data migration.
    return EndUserAccountFactory(reseller=reseller, services=[CloudService.objects.get(code="genesys-cloud-cx")])


@pytest.fixture
def contact(reseller) -> Membership:  # type: ignore[no-untyped-def]
    return DesignatedContactFactory(reseller=reseller, user__username="alice")


@pytest.fixture
def second_contact(reseller) -> Membership:  # type: ignore[no-untyped-def]
    return DesignatedContactFactory(reseller=reseller, user__username="bob")


@pytest.fixture
def reader(reseller) -> Membership:  # type: ignore[no-untyped-def]
    return MembershipFactory(reseller=reseller, user__username="carol")


@pytest.fixture
def other_contact() -> Membership:
    other = ResellerFactory(name="Blue Yonder")
    EndUserAccountFactory(reseller=other)
    return DesignatedContactFactory(reseller=other, user__username="mallory")


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    return StaffFactory(username="casey", email="casey@care.test")


@pytest.fixture
def client_for() -> Callable[[Any], Client]:
    """A signed-in client; staff also pass the MFA step, since admin opens only after it."""

    def make(user: Any) -> Client:
        client = Client()
        if user.is_staff:
            return login_verified(client, user)
        client.force_login(user)
        return client

    return make


@pytest.fixture
def intake(account: EndUserAccount) -> dict[str, Any]:
    """Complete Section 4.2 details for cases.intake.services.case_create."""
    return {
        "account": account,
        "service": account.services.first(),
        "subject": "Agents cannot log in",
        "priority": 2,
        "users_affected": 40,
        "frequency": "constant",
        "first_observed_at": timezone.now() - timedelta(hours=1),
        "impacted_time_zone": "America/New_York",
        "impacted_location": "New York contact centre",
        "impacted_working_hours": "Mon-Fri 08:00-18:00",
        "what_went_wrong": "Login fails with error 503 since 09:00.",
        "business_impact": "40 agents cannot take calls.",
        "steps_to_reproduce": "Open the agent desktop and sign in.",
        "local_contact_name": "Pat Local",
        "local_contact_phone": "+1 212 555 0111",
        **{field: True for field in CONFIRMATION_FIELDS},
    }


@pytest.fixture
def intake_post(intake: dict[str, Any]) -> dict[str, Any]:
    """The same details as the new-case form posts them."""
    data = {key: value for key, value in intake.items() if key not in ("first_observed_at",)}
    data["account"] = intake["account"].pk
    data["service"] = intake["service"].pk
    local = intake["first_observed_at"].astimezone(zoneinfo.ZoneInfo("America/New_York"))
    data["first_observed_local"] = local.strftime("%Y-%m-%dT%H:%M")
    for field in CONFIRMATION_FIELDS:
        data[field] = "on"
    return data
