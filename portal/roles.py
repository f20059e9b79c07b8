"""Staff roles: one auth Group per role, holding exactly the permissions in ROLES.

The table is the single source of truth; `roles_sync()` makes the groups match it. A data migration
calls it (portal 0013), and any later migration that adds models whose permissions belong to a role
calls it again, so the table may already name permissions of models that do not exist yet (such
codenames are skipped quietly until their model arrives).

What the roles may do
---------------------
- Care engineer: works cases and requests (cases, replies, follow-ups, escalations, the request
  kinds except data privacy), reads SLA configuration and maintenance, retries outbox rows.
- Care lead: everything an engineer may do, plus SLA policies and targets, support calendars and
  holidays, maintenance rules and notices, resellers and their accounts, and approving, declining
  or revoking Designated Contacts; reads the audit trail.
- Privacy officer: data privacy requests only (portal.access.is_data_privacy_staff).
- Administrator: staff and reseller users (names, email, active flag), reads the roles and the audit
  trail. Granting superuser, staff status, groups or permissions is for superusers only: see
  portal.tenancy.users for the rules the user admin enforces.

Superusers hold every permission and are not a role.
"""

from __future__ import annotations

from typing import Any

CARE_ENGINEER = "Care engineer"
CARE_LEAD = "Care lead"
PRIVACY_OFFICER = "Privacy officer"
ADMINISTRATOR = "Administrator"

# The group the Privacy officer role used to be (cases 0004 made it); portal 0013 renames it.
LEGACY_PRIVACY_GROUP = "Data privacy"


def _perms(app_label: str, actions: str, *models: str) -> list[str]:
    return [f"{app_label}.{action}_{model}" for model in models for action in actions.split()]


_WORKED_CASES = (
    # The case page and what it shows or adds inline.
    _perms("cases", "view change", "case", "reply", "attachment", "severitycall", "severityrequest",
           "postmortem", "incidentreport", "remoteaccessrequest", "uptimecreditrequest", "featurerequest",
           "macdrequest", "macdline")
    + _perms("cases", "add", "reply", "severitycall", "macdline")
    + _perms("cases", "view", "caseevent", "creditevent", "featurevote", "featureevent", "macdroute", "macdevent")
)
_SLA_READ = _perms("sla", "view", "supportcalendar", "customholiday", "slapolicy", "slatarget", "slatargetchange",
                   "milestone", "milestonepause", "milestonealert", "maintenancerule", "maintenancefeed",
                   "reschedulerequest", "unplannedmaintenance", "unplannednoticedelivery")
_PORTAL_READ = _perms("portal", "view", "reseller", "enduseraccount", "membership", "cloudservice",
                      "designationevent", "changerecord", "notification", "user")

CARE_ENGINEER_PERMISSIONS = [
    *_WORKED_CASES, *_SLA_READ, *_PORTAL_READ,
    "sla.change_reschedulerequest",
    "portal.change_notification",  # "Retry now" on a failed outbox row
]

CARE_LEAD_PERMISSIONS = [
    *CARE_ENGINEER_PERMISSIONS,
    *_perms("sla", "add change delete", "supportcalendar", "customholiday", "slatarget", "maintenancerule"),
    *_perms("sla", "add change", "slapolicy", "unplannedmaintenance"),
    *_perms("portal", "add change", "reseller", "enduseraccount", "membership"),
    "cases.change_macdroute",
    "portal.decide_designation",
    "portal.view_auditevent",  # the audit trail's model arrives with its own migration
]

PRIVACY_OFFICER_PERMISSIONS = _perms("cases", "view change", "dataprivacyrequest") + _perms(
    "cases", "view", "dataprivacyrequestevent")

ADMINISTRATOR_PERMISSIONS = [
    *_perms("portal", "view add change", "user"),
    "auth.view_group",
    "portal.view_auditevent",
    # Unlocking a locked-out sign-in is deleting django-axes' attempt row.
    "axes.view_accessattempt", "axes.delete_accessattempt",
]

ROLES: dict[str, list[str]] = {
    CARE_ENGINEER: CARE_ENGINEER_PERMISSIONS,
    CARE_LEAD: CARE_LEAD_PERMISSIONS,
    PRIVACY_OFFICER: PRIVACY_OFFICER_PERMISSIONS,
    ADMINISTRATOR: ADMINISTRATOR_PERMISSIONS,
}


def roles_sync(apps: Any = None) -> dict[str, int]:
    """Make each role's group hold exactly its table's permissions that exist; returns counts.

    `apps` is a migration's app registry (historical models); the live one by default. A codename
    whose model is not installed yet is skipped: the migration that adds it calls this again."""
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    existing = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in permission_model.objects.values_list("pk", "content_type__app_label",
                                                                               "codename")
    }
    counts: dict[str, int] = {}
    for name, wanted in ROLES.items():
        group, _created = group_model.objects.get_or_create(name=name)
        permission_ids = sorted({existing[perm] for perm in wanted if perm in existing})
        group.permissions.set(permission_ids)
        counts[name] = len(permission_ids)
    return counts


def privacy_group_rename(apps: Any) -> None:
    """The "Data privacy" group becomes the Privacy officer role, keeping its members."""
    group_model = apps.get_model("auth", "Group")
    legacy = group_model.objects.filter(name=LEGACY_PRIVACY_GROUP).first()
    if legacy is None:
        return
    officer = group_model.objects.filter(name=PRIVACY_OFFICER).first()
    if officer is None:
        legacy.name = PRIVACY_OFFICER
        legacy.save(update_fields=["name"])
        return
    officer.user_set.add(*legacy.user_set.all())
    legacy.delete()
