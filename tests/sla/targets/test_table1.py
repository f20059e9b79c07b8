"""Support Guide Table 1, as loaded by the data migration: every cell, written out by hand."""

from __future__ import annotations

import pytest

from portal.models import SupportPackage
from sla.models import SlaPolicy, SlaTarget
from sla.targets.deadlines import describe, policy_for_package, target_for

pytestmark = pytest.mark.django_db

KINDS = ("response", "restoration", "resolution")

# Copied from DOMAIN.md / Support Guide Table 1 ("h" wall-clock, "bh" business hours, "bd" business
# days, "n/a" no target). Deliberately NOT derived from the migration's constants.
TABLE_1 = {
    "Care for Cloud": {
        1: ("4 h", "6 h", "15 bd"),
        2: ("6 bh", "4 bd", "15 bd"),
        3: ("1 bd", "10 bd", "30 bd"),
        4: ("2 bd", "n/a", "n/a"),
    },
    "Business Care for Cloud": {
        1: ("15 min", "4 h", "15 bd"),
        2: ("2 bh", "2 bd", "15 bd"),
        3: ("4 bh", "5 bd", "15 bd"),
        4: ("1 bd", "n/a", "n/a"),
    },
    "Pure Success": {  # same targets as Business Care
        1: ("15 min", "4 h", "15 bd"),
        2: ("2 bh", "2 bd", "15 bd"),
        3: ("4 bh", "5 bd", "15 bd"),
        4: ("1 bd", "n/a", "n/a"),
    },
    "Admin cases": {severity: ("2 bd", "n/a", "n/a") for severity in (1, 2, 3, 4)},
    "Platform-level incidents": {
        1: ("n/a", "4 h", "n/a"),
        2: ("n/a", "2 bd", "n/a"),
        3: ("n/a", "5 bd", "n/a"),
        4: ("n/a", "n/a", "n/a"),
    },
}

# How each written cell must be stored: (unit, amount).
CELL = {
    "15 min": ("wall_minutes", 15),
    "4 h": ("wall_minutes", 240),
    "6 h": ("wall_minutes", 360),
    "2 bh": ("business_minutes", 120),
    "4 bh": ("business_minutes", 240),
    "6 bh": ("business_minutes", 360),
    "1 bd": ("business_days", 1),
    "2 bd": ("business_days", 2),
    "4 bd": ("business_days", 4),
    "5 bd": ("business_days", 5),
    "10 bd": ("business_days", 10),
    "15 bd": ("business_days", 15),
    "30 bd": ("business_days", 30),
    "n/a": ("none", 0),
}

SCOPES = {
    "Care for Cloud": ("package", SupportPackage.CARE),
    "Business Care for Cloud": ("package", SupportPackage.BUSINESS_CARE),
    "Pure Success": ("package", SupportPackage.PURE_SUCCESS),
    "Admin cases": ("admin", ""),
    "Platform-level incidents": ("platform", ""),
}


def stored_table() -> dict[str, dict[int, tuple[str, str, str]]]:
    table: dict[str, dict[int, dict[str, tuple[str, int]]]] = {}
    for target in SlaTarget.objects.select_related("policy"):
        cells = table.setdefault(target.policy.name, {}).setdefault(target.severity, {})
        assert target.kind not in cells
        cells[target.kind] = (target.unit, target.amount)
    return {
        name: {severity: tuple(cells[kind] for kind in KINDS) for severity, cells in rows.items()}
        for name, rows in table.items()
    }


def test_every_cell_of_table_1_is_stored_exactly():
    expected = {
        name: {severity: tuple(CELL[text] for text in cells) for severity, cells in rows.items()}
        for name, rows in TABLE_1.items()
    }
    assert stored_table() == expected
    # 5 policies x 4 severities x 3 kinds, nothing more.
    assert SlaTarget.objects.count() == 60


@pytest.mark.parametrize("name", list(TABLE_1))
def test_policy_scope_and_package(name):
    scope, package = SCOPES[name]
    policy = SlaPolicy.objects.get(name=name)
    assert (policy.scope, policy.support_package) == (scope, package)
    # Defaults from the decisions in DOMAIN.md: no pausing, reseller told about breaches, warn at 75 %.
    assert policy.pause_restoration_when_awaiting_reseller is False
    assert policy.notify_reseller_on_breach is True
    assert float(policy.warn_at_share) == 0.75


@pytest.mark.parametrize("package, name", [
    (SupportPackage.CARE, "Care for Cloud"),
    (SupportPackage.BUSINESS_CARE, "Business Care for Cloud"),
    (SupportPackage.PURE_SUCCESS, "Pure Success"),
])
def test_each_package_has_its_policy_and_reads_back_as_written(package, name):
    policy = policy_for_package(package)
    assert policy.name == name
    for severity, cells in TABLE_1[name].items():
        for kind, text in zip(KINDS, cells, strict=True):
            unit, amount = target_for(policy, severity, kind)
            assert (unit, amount) == CELL[text]
            assert describe(unit, amount) == text


def test_pure_success_has_the_same_targets_as_business_care():
    table = stored_table()
    assert table["Pure Success"] == table["Business Care for Cloud"]
    assert table["Care for Cloud"] != table["Business Care for Cloud"]


def test_a_missing_cell_means_no_target():
    policy = policy_for_package(SupportPackage.CARE)
    SlaTarget.objects.filter(policy=policy, severity=4, kind="response").delete()
    assert target_for(policy, 4, "response") == ("none", 0)
