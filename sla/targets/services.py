"""Writes on SLA policy: a target edit applies to milestones created afterwards and is recorded; policy
settings, support calendars and an account's package, zone and calendar are recorded as ChangeRecords."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import holidays as holiday_tables
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from portal.access import require_staff_permission
from portal.history.services import changes_record, validated_copy
from portal.models import EndUserAccount, SupportPackage, User, validate_time_zone
from sla.targets.calendars import validate_calendar
from sla.targets.deadlines import describe
from sla.targets.models import CustomHoliday, SlaPolicy, SlaTarget, SlaTargetChange, SupportCalendar, TargetUnit


@transaction.atomic
def target_update(*, target: SlaTarget, actor: User, unit: str, amount: int) -> SlaTarget:
    require_staff_permission(actor, "sla.change_slatarget")
    if unit not in TargetUnit.values:
        raise ValidationError({"unit": _("Unknown unit.")})
    if unit != TargetUnit.NONE and amount < 1:
        raise ValidationError({"amount": _("A target needs a positive amount.")})
    stored = SlaTarget.objects.select_for_update().get(pk=target.pk)
    old = describe(stored.unit, stored.amount)
    new_amount = 0 if unit == TargetUnit.NONE else amount
    if (stored.unit, stored.amount) == (unit, new_amount):
        return stored
    stored.unit, stored.amount = unit, new_amount
    stored.save(update_fields=["unit", "amount"])
    SlaTargetChange.objects.create(target=stored, changed_by=actor, old_value=old, new_value=describe(unit, new_amount))
    return stored


# --- policy settings, support calendars and an account's SLA: saved with a ChangeRecord per field --

POLICY_FIELDS = ("name", "warn_at_share", "notify_reseller_on_breach", "pause_restoration_when_awaiting_reseller")
CALENDAR_FIELDS = ("name", "time_zone", "weekly_hours", "holiday_country", "holiday_subdivision")


def _apply(stored: Model, probe: Model, fields: Iterable[str]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Copies the validated values onto the stored row; returns before, after and the fields that moved."""
    before = {field: getattr(stored, field) for field in fields}
    after = {field: getattr(probe, field) for field in fields}
    moved = [field for field in after if before[field] != after[field]]
    for field in moved:
        setattr(stored, field, after[field])
    return before, after, moved


def policy_validate(*, policy: SlaPolicy, changes: Mapping[str, Any]) -> SlaPolicy:
    """The policy as it would be after `changes`; ValidationError if it may not be."""
    probe = validated_copy(policy, changes, allowed=POLICY_FIELDS)
    if not Decimal(0) < Decimal(probe.warn_at_share) < Decimal(1):
        raise ValidationError({"warn_at_share": _("The warning comes at a share between 0 and 1, e.g. 0.75.")})
    return probe


@transaction.atomic
def policy_update(*, policy: SlaPolicy, actor: User, changes: Mapping[str, Any]) -> SlaPolicy:
    """Policy settings decide when milestones warn and whether resellers hear of breaches."""
    require_staff_permission(actor, "sla.change_slapolicy")
    stored = SlaPolicy.objects.select_for_update().get(pk=policy.pk)
    probe = policy_validate(policy=stored, changes=changes)
    before, after, moved = _apply(stored, probe, changes)
    if moved:
        stored.save(update_fields=moved)
        changes_record(obj=stored, actor=actor, before=before, after=after)
    return stored


def calendar_validate(*, calendar: SupportCalendar, changes: Mapping[str, Any]) -> SupportCalendar:
    """The calendar as it would be after `changes`; ValidationError if business time could not be
    computed with it (bad hours, unknown zone or holiday country)."""
    probe = validated_copy(calendar, changes, allowed=CALENDAR_FIELDS)
    try:
        validate_calendar(probe)
    except (ValueError, TypeError, AttributeError) as error:
        raise ValidationError({"weekly_hours": str(error)}) from None
    if probe.holiday_country:
        supported = holiday_tables.list_supported_countries()
        if probe.holiday_country not in supported:
            raise ValidationError({"holiday_country": _("No public holidays are known for this country code.")})
        if probe.holiday_subdivision and probe.holiday_subdivision not in supported[probe.holiday_country]:
            raise ValidationError({"holiday_subdivision": _("Not a state or region of this country.")})
    return probe


def _holidays_as_changes(holidays: Mapping[date, str]) -> dict[str, str]:
    return {f"custom_holiday:{day.isoformat()}": f"{day.isoformat()} {name}".strip() for day, name in holidays.items()}


@transaction.atomic
def calendar_create(*, actor: User, calendar: SupportCalendar) -> SupportCalendar:
    """Saves a new (unsaved) calendar and records its settings as set."""
    require_staff_permission(actor, "sla.add_supportcalendar")
    probe = calendar_validate(calendar=calendar, changes={})
    calendar.save()
    changes_record(obj=calendar, actor=actor, before={},
                   after={field: getattr(probe, field) for field in CALENDAR_FIELDS})
    return calendar


@transaction.atomic
def calendar_update(
    *, calendar: SupportCalendar, actor: User, changes: Mapping[str, Any], holidays: Mapping[date, str] | None = None,
) -> SupportCalendar:
    """Changes calendar settings and, if `holidays` (date to name) is given, makes the custom
    holidays exactly those. Deadlines computed from now on use the new calendar: updated_at moves,
    which is what the built-calendar cache is keyed on. Each setting and each holiday added, renamed
    or removed is one ChangeRecord on the calendar."""
    require_staff_permission(actor, "sla.change_supportcalendar")
    stored = SupportCalendar.objects.select_for_update().get(pk=calendar.pk)
    probe = calendar_validate(calendar=stored, changes=changes)
    before, after, moved = _apply(stored, probe, changes)
    if holidays is not None:
        old = {holiday.date: holiday.name for holiday in stored.custom_holidays.all()}
        new = dict(holidays)
        if old != new:
            stored.custom_holidays.exclude(date__in=list(new)).delete()
            for day, name in new.items():
                if old.get(day) != name:
                    CustomHoliday.objects.update_or_create(calendar=stored, date=day, defaults={"name": name})
            before.update(_holidays_as_changes(old))
            after.update(dict.fromkeys(_holidays_as_changes(old), ""))
            after.update(_holidays_as_changes(new))
            moved.append("custom_holidays")
    if moved:
        stored.save(update_fields=[field for field in moved if field != "custom_holidays"] + ["updated_at"])
        changes_record(obj=stored, actor=actor, before=before, after=after)
    return stored


def account_sla_validate(*, support_package: str, time_zone: str, calendar: SupportCalendar | None) -> None:
    errors: dict[str, list[str]] = {}
    if support_package not in SupportPackage.values:
        errors["support_package"] = [_("Choose a support package.")]
    try:
        validate_time_zone(time_zone)
    except ValidationError as error:
        errors["time_zone"] = error.messages
    if calendar is not None and not isinstance(calendar, SupportCalendar):
        errors["calendar"] = [_("Choose a support calendar.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def account_sla_update(
    *, account: EndUserAccount, actor: User, support_package: str, time_zone: str, calendar: SupportCalendar | None,
) -> EndUserAccount:
    """The account's package picks its SLA policy; zone and calendar decide its business time."""
    require_staff_permission(actor, "portal.change_enduseraccount")
    account_sla_validate(support_package=support_package, time_zone=time_zone, calendar=calendar)
    stored = EndUserAccount.objects.select_for_update().get(pk=account.pk)
    before = {"support_package": stored.support_package, "time_zone": stored.time_zone, "calendar": stored.calendar}
    after = {"support_package": support_package, "time_zone": time_zone, "calendar": calendar}
    moved = [field for field in after if before[field] != after[field]]
    if moved:
        stored.support_package, stored.time_zone, stored.calendar = support_package, time_zone, calendar
        stored.save(update_fields=moved)
        changes_record(obj=stored, actor=actor, before=before, after=after)
    return stored
