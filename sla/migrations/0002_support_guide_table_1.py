"""Support Guide Table 1, plus admin cases and platform-level restoration (platform overview).

W = wall-clock minutes, BM = business minutes, BD = business days, None = n/a.
"""

from __future__ import annotations

from django.db import migrations

W, BM, BD = "wall_minutes", "business_minutes", "business_days"
NA = ("none", 0)
HOUR = 60

CARE_FOR_CLOUD = {
    1: ((W, 4 * HOUR), (W, 6 * HOUR), (BD, 15)),
    2: ((BM, 6 * HOUR), (BD, 4), (BD, 15)),
    3: ((BD, 1), (BD, 10), (BD, 30)),
    4: ((BD, 2), NA, NA),
}
BUSINESS_CARE = {
    1: ((W, 15), (W, 4 * HOUR), (BD, 15)),
    2: ((BM, 2 * HOUR), (BD, 2), (BD, 15)),
    3: ((BM, 4 * HOUR), (BD, 5), (BD, 15)),
    4: ((BD, 1), NA, NA),
}
ADMIN = {severity: ((BD, 2), NA, NA) for severity in (1, 2, 3, 4)}
PLATFORM = {
    1: (NA, (W, 4 * HOUR), NA),
    2: (NA, (BD, 2), NA),
    3: (NA, (BD, 5), NA),
    4: (NA, NA, NA),
}
POLICIES = [
    ("care-for-cloud", "Care for Cloud", "package", "care", CARE_FOR_CLOUD),
    ("business-care-for-cloud", "Business Care for Cloud", "package", "business_care", BUSINESS_CARE),
    ("pure-success", "Pure Success", "package", "pure_success", BUSINESS_CARE),
    ("admin-cases", "Admin cases", "admin", "", ADMIN),
    ("platform-incidents", "Platform-level incidents", "platform", "", PLATFORM),
]
KINDS = ("response", "restoration", "resolution")


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    SlaTarget = apps.get_model("sla", "SlaTarget")
    for code, name, scope, package, table in POLICIES:
        policy, _ = SlaPolicy.objects.get_or_create(
            code=code, defaults={"name": name, "scope": scope, "support_package": package}
        )
        for severity, cells in table.items():
            for kind, (unit, amount) in zip(KINDS, cells, strict=True):
                SlaTarget.objects.get_or_create(
                    policy=policy, severity=severity, kind=kind, defaults={"unit": unit, "amount": amount}
                )


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("sla", "SlaPolicy").objects.filter(code__in=[p[0] for p in POLICIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
