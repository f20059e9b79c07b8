from __future__ import annotations

from django.db import migrations

CATALOGUE = [
    ("genesys-cloud-cx", "Genesys Cloud CX"),
    ("pureengage-cloud", "PureEngage Cloud"),
    ("premier-edition", "Premier Edition"),
    ("outbound-engagement", "Outbound Engagement"),
    ("genesys-social-analytics", "Genesys Social Analytics"),
]


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    CloudService = apps.get_model("portal", "CloudService")
    for code, name in CATALOGUE:
        CloudService.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
