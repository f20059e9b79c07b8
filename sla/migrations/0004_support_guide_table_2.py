"""Support Guide Table 2: planned maintenance windows per cloud service.

Weekdays: 0 = Monday ... 6 = Sunday. An end at or before the start crosses midnight (the window
belongs to the day it starts). A blank zone means the end user's local time (the account's zone).
"""

from __future__ import annotations

import datetime

from django.db import migrations

EASTERN = "America/New_York"
TUE, WED, THU, SUN = 1, 2, 3, 6

# (service code, weekdays, start, end, time zone or "" for the end user's local time, note)
TABLE_2 = [
    ("outbound-engagement", [TUE, THU], "00:00", "03:00", EASTERN, "Including Mobile Marketing"),
    ("outbound-engagement", [SUN], "00:00", "05:00", EASTERN, "Including Mobile Marketing"),
    ("premier-edition", [TUE, WED, THU], "22:00", "05:00", EASTERN, "Including Self-Service"),
    ("pureengage-cloud", [TUE, THU], "00:00", "06:00", "", ""),
    ("genesys-social-analytics", [TUE, WED, THU], "22:00", "05:00", EASTERN, ""),
]


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    CloudService = apps.get_model("portal", "CloudService")
    MaintenanceRule = apps.get_model("sla", "MaintenanceRule")
    for code, weekdays, start, end, zone, note in TABLE_2:
        service = CloudService.objects.filter(code=code).first()
        if service is None:
            continue
        same = MaintenanceRule.objects.filter(service=service, start_time=_time(start), end_time=_time(end))
        if any(rule.weekdays == weekdays for rule in same):
            continue  # loaded already (the reference_data fixture re-runs this)
        MaintenanceRule.objects.create(
            service=service, weekdays=weekdays, start_time=_time(start), end_time=_time(end),
            time_zone=zone, in_end_user_time=not zone, note=note,
        )


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("sla", "MaintenanceRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0003_maintenance_windows"), ("portal", "0002_cloud_service_catalogue")]
    operations = [migrations.RunPython(load, unload)]
