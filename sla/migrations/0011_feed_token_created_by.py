
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def tokens_owned_by_their_last_maker(apps, schema_editor):  # type: ignore[no-untyped-def]
    """A live token was made by whoever last regenerated it: that is updated_by until now."""
    feeds = apps.get_model("sla", "MaintenanceFeed").objects
    feeds.filter(token__isnull=False).update(token_created_by=F("updated_by"))


class Migration(migrations.Migration):

    dependencies = [
        ('sla', '0009_model_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='maintenancefeed',
            name='token_created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='token made by'),
        ),
        migrations.RunPython(tokens_owned_by_their_last_maker, migrations.RunPython.noop),
    ]
