"""Planned maintenance rules (Table 2), saved by Care staff through these services; every setting
that changes is recorded, since a window moved or switched off changes what resellers see."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from portal.access import require_staff_permission
from portal.history.services import changes_record, validated_copy
from portal.models import User
from sla.maintenance.models import MaintenanceRule

RULE_FIELDS = ("service", "weekdays", "start_time", "end_time", "time_zone", "in_end_user_time", "note", "is_active")


def maintenance_rule_validate(*, rule: MaintenanceRule, changes: Mapping[str, Any]) -> MaintenanceRule:
    """The rule as it would be after `changes` (weekdays normalised); ValidationError if invalid."""
    return validated_copy(rule, changes, allowed=RULE_FIELDS)


@transaction.atomic
def maintenance_rule_create(*, actor: User, values: Mapping[str, Any]) -> MaintenanceRule:
    require_staff_permission(actor, "sla.add_maintenancerule")
    rule = maintenance_rule_validate(rule=MaintenanceRule(), changes=values)
    rule.save()
    changes_record(obj=rule, actor=actor, before={}, after={name: getattr(rule, name) for name in values})
    return rule


@transaction.atomic
def maintenance_rule_update(*, rule: MaintenanceRule, actor: User, changes: Mapping[str, Any]) -> MaintenanceRule:
    """A window moved, widened or switched off changes when cases' clocks and notices see maintenance."""
    require_staff_permission(actor, "sla.change_maintenancerule")
    stored = MaintenanceRule.objects.select_for_update().get(pk=rule.pk)
    probe = maintenance_rule_validate(rule=stored, changes=changes)
    before = {name: getattr(stored, name) for name in changes}
    after = {name: getattr(probe, name) for name in changes}
    moved = [name for name in changes if before[name] != after[name]]
    if moved:
        for name in moved:
            setattr(stored, name, after[name])
        stored.save(update_fields=moved)
        changes_record(obj=stored, actor=actor, before=before, after=after)
    return stored
