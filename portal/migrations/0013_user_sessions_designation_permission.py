# Sessions that know their user (portal.tenancy.sessions); the Care lead's permission on contacts.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0010_audit_event_and_history'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='membership',
            options={'permissions': [('decide_designation', 'Can approve, decline or revoke Designated Contacts')], 'verbose_name': 'reseller membership', 'verbose_name_plural': 'reseller memberships'},
        ),
        migrations.CreateModel(
            name='UserSession',
            fields=[
                ('session_key', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='session key')),
                ('session_data', models.TextField(verbose_name='session data')),
                ('expire_date', models.DateTimeField(db_index=True, verbose_name='expire date')),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'session',
                'verbose_name_plural': 'sessions',
            },
        ),
    ]
