"""The staff roles of portal.roles as groups; the "Data privacy" group becomes the Privacy officer.

Depends on the latest migration of every app whose permissions a role holds, so those exist here.
A later migration adding a model named in portal.roles.ROLES runs the same two steps again."""

from django.db import migrations

from portal import roles


def permissions_create(apps):  # type: ignore[no-untyped-def]
    """Permissions are normally made after `migrate` ends (post_migrate): make them now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def roles_create(apps, schema_editor):  # type: ignore[no-untyped-def]
    permissions_create(apps)
    roles.privacy_group_rename(apps)
    roles.roles_sync(apps)


def roles_remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    groups = apps.get_model("auth", "Group").objects
    groups.filter(name__in=[roles.CARE_ENGINEER, roles.CARE_LEAD, roles.ADMINISTRATOR]).delete()
    groups.filter(name=roles.PRIVACY_OFFICER).update(name=roles.LEGACY_PRIVACY_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0013_user_sessions_designation_permission"),
        ("cases", "0005_merge_requests_and_macd"),
        ("sla", "0011_feed_token_created_by"),
    ]

    operations = [migrations.RunPython(roles_create, roles_remove)]
