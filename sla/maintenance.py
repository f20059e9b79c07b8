"""Maintenance windows (Support Guide 3, Table 2): occurrences and the services that write.

Occurrences
-----------
`next_occurrences` is pure (no database): it builds each window's start and end as LOCAL wall times
in the rule's zone with zoneinfo and converts them to UTC, so a 00:00-05:00 US Eastern window lasts
4 real hours on the spring-forward Sunday and 6 on the fall-back Sunday, and always starts at 00:00
on the local clock. A window whose end is at or before its start crosses midnight: it belongs to the
day it starts and ends on the next local day (Premier Edition Tue 22:00 -> Wed 05:00 is Tuesday's).

Daylight-saving edge cases follow RFC 5545 section 3.3.5, as calendar apps do:
- a wall time that does not exist (spring-forward gap) is read with the offset in force BEFORE the
  gap, i.e. moved forward by the gap's length (02:30 on the US change day is 03:30 EDT);
- a wall time that happens twice (fall-back fold) means its FIRST occurrence (fold=0).
A window that would come out empty or negative after that adjustment is skipped.

Writes
------
Every write is typed, keyword-only, one transaction, and queues its emails on commit
(sla.maintenance_emails). Access decisions come from portal.access.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import is_care_staff, require_designated_contact
from portal.models import CloudService, EndUserAccount, Membership, Reseller, User
from sla import maintenance_emails
from sla.maintenance_models import (
    MaintenanceFeed,
    MaintenanceRule,
    RescheduleRequest,
    UnplannedMaintenance,
    UnplannedNoticeDelivery,
)

FEED_DAYS = 90
FEED_TOKEN_BYTES = 32
MAX_SEARCH_DAYS = 7 * 400  # safety net: a rule with no weekdays never loops forever


def current_time() -> datetime:
    """"Now" for the pages, the feed and the banner; tests replace it to look at a chosen date."""
    return timezone.now()


# --- the pure part --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowRule:
    weekdays: frozenset[int]  # 0 = Monday ... 6 = Sunday: the day the window STARTS on
    start: time
    end: time  # at or before start: the window ends on the next local day
    zone: ZoneInfo


@dataclass(frozen=True)
class Occurrence:
    start: datetime  # UTC
    end: datetime  # UTC
    local_day: date  # the local date the window belongs to (the day it starts)


def _local_to_utc(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """RFC 5545 3.3.5: fold=0 gives the first of two repeated times and, for a time inside a gap,
    the offset before the gap."""
    return datetime.combine(day, wall).replace(tzinfo=zone, fold=0).astimezone(UTC)


def occurrence_on(rule: WindowRule, day: date) -> Occurrence | None:
    """The window starting on local `day`, whatever its weekday; None if DST leaves it empty."""
    crosses_midnight = rule.end <= rule.start
    end_day = day + timedelta(days=1) if crosses_midnight else day
    start = _local_to_utc(day, rule.start, rule.zone)
    end = _local_to_utc(end_day, rule.end, rule.zone)
    if end <= start:
        return None
    return Occurrence(start=start, end=end, local_day=day)


def iter_occurrences(rule: WindowRule, *, after: datetime) -> Iterator[Occurrence]:
    """Occurrences in order that have not ended at `after` (one in progress is included)."""
    if after.tzinfo is None:
        raise ValueError("after must be timezone-aware")
    if not rule.weekdays:
        return
    # Start a day early: yesterday's window may cross midnight and still be running.
    day = after.astimezone(rule.zone).date() - timedelta(days=1)
    for offset in range(MAX_SEARCH_DAYS):
        current = day + timedelta(days=offset)
        if current.weekday() not in rule.weekdays:
            continue
        occurrence = occurrence_on(rule, current)
        if occurrence is not None and occurrence.end > after:
            yield occurrence


def next_occurrences(rule: WindowRule, *, after: datetime, count: int | None = None,
                     until: datetime | None = None) -> list[Occurrence]:
    """The next `count` occurrences (and/or those starting before `until`) from the instant `after`."""
    if count is None and until is None:
        raise ValueError("give count, until or both")
    found: list[Occurrence] = []
    for occurrence in iter_occurrences(rule, after=after):
        if until is not None and occurrence.start >= until:
            break
        found.append(occurrence)
        if count is not None and len(found) >= count:
            break
    return found


# --- occurrences of stored rules for end-user accounts --------------------------------------------


def window_rule(rule: MaintenanceRule, account: EndUserAccount) -> WindowRule:
    zone = account.time_zone if rule.in_end_user_time else rule.time_zone
    return WindowRule(weekdays=frozenset(rule.weekdays), start=rule.start_time, end=rule.end_time,
                      zone=ZoneInfo(zone or "UTC"))


@dataclass(frozen=True)
class AccountWindow:
    account: EndUserAccount
    rule: MaintenanceRule
    start: datetime  # UTC, after any accepted reschedule
    end: datetime
    planned_start: datetime  # the rule's own occurrence: identifies it (UID, reschedule requests)
    local_day: date
    rescheduled: bool = False
    pending_request: bool = field(default=False)

    @property
    def uid(self) -> str:
        return (f"maintenance-{self.rule.pk}-{self.account.pk}-{self.planned_start:%Y%m%dT%H%M%SZ}"
                "@reseller-support-portal")


def rules_for(account: EndUserAccount) -> list[MaintenanceRule]:
    return list(MaintenanceRule.objects.filter(is_active=True, service__in=account.services.all())
                .select_related("service"))


def account_windows(accounts: Iterable[EndUserAccount], *, after: datetime, until: datetime | None = None,
                    count: int | None = None) -> list[AccountWindow]:
    """Planned windows of each account's services, sorted by start; `count` applies per account.

    Accepted reschedule requests move their occurrence; pending ones are flagged."""
    accounts = list(accounts)
    rules_by_service: dict[int, list[MaintenanceRule]] = {}
    for rule in MaintenanceRule.objects.filter(is_active=True).select_related("service"):
        rules_by_service.setdefault(rule.service_id, []).append(rule)
    requests = RescheduleRequest.objects.filter(
        account__in=accounts, status__in=[RescheduleRequest.Status.ACCEPTED, RescheduleRequest.Status.PENDING],
    )
    accepted = {(r.account_id, r.rule_id, r.occurrence_start): r for r in requests
                if r.status == RescheduleRequest.Status.ACCEPTED}
    pending = {(r.account_id, r.rule_id, r.occurrence_start) for r in requests
               if r.status == RescheduleRequest.Status.PENDING}
    windows: list[AccountWindow] = []
    for account in accounts:
        mine: list[AccountWindow] = []
        for service in account.services.all():
            for rule in rules_by_service.get(service.pk, []):
                for occurrence in next_occurrences(window_rule(rule, account), after=after, count=count,
                                                   until=until):
                    key = (account.pk, rule.pk, occurrence.start)
                    moved = accepted.get(key)
                    mine.append(AccountWindow(
                        account=account, rule=rule, planned_start=occurrence.start, local_day=occurrence.local_day,
                        start=moved.proposed_start if moved else occurrence.start,
                        end=moved.proposed_end if moved else occurrence.end,
                        rescheduled=moved is not None, pending_request=key in pending,
                    ))
        mine.sort(key=lambda window: (window.start, window.rule.pk))
        windows.extend(mine[:count] if count is not None else mine)
    windows.sort(key=lambda window: (window.start, window.account.name, window.rule.pk))
    return windows


def planned_occurrence(*, account: EndUserAccount, rule: MaintenanceRule, start: datetime) -> Occurrence | None:
    """The rule's occurrence for this account that starts exactly at `start`, if there is one."""
    if not rule.is_active or not account.services.filter(pk=rule.service_id).exists():
        return None
    for occurrence in next_occurrences(window_rule(rule, account), after=start - timedelta(seconds=1), count=2):
        if occurrence.start == start:
            return occurrence
    return None


# --- the calendar feed ----------------------------------------------------------------------------


def _require_contact_of(actor: User, reseller: Reseller) -> Membership:
    membership = require_designated_contact(actor)
    if membership.reseller_id != reseller.pk:
        raise PermissionDenied("Only the reseller's own Designated Contacts may do this.")
    return membership


@transaction.atomic
def feed_token_regenerate(*, reseller: Reseller, actor: User) -> MaintenanceFeed:
    """A new unguessable token; the old feed address stops working at once."""
    _require_contact_of(actor, reseller)
    feed, _created = MaintenanceFeed.objects.select_for_update().get_or_create(reseller=reseller)
    feed.token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    feed.updated_by = actor
    feed.save()
    return feed


@transaction.atomic
def feed_token_revoke(*, reseller: Reseller, actor: User) -> MaintenanceFeed:
    _require_contact_of(actor, reseller)
    feed, _created = MaintenanceFeed.objects.select_for_update().get_or_create(reseller=reseller)
    feed.token = None
    feed.updated_by = actor
    feed.save()
    return feed


def feed_ics(*, reseller: Reseller, now: datetime | None = None) -> bytes:
    """The next FEED_DAYS days of planned windows for every account of the reseller, in UTC, plus
    unplanned maintenance that has not ended. UIDs are stable, so calendar apps update in place."""
    from icalendar import Calendar, Event

    now = now or current_time()
    calendar = Calendar()
    calendar.add("prodid", "-//Customer Care//Reseller Support Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Maintenance windows: %(reseller)s") % {"reseller": reseller.name})
    stamp = now.astimezone(UTC).replace(microsecond=0)
    accounts = EndUserAccount.objects.filter(reseller=reseller).prefetch_related("services")
    for window in account_windows(accounts, after=now, until=now + timedelta(days=FEED_DAYS)):
        event = Event()
        event.add("uid", window.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", window.start.astimezone(UTC))
        event.add("dtend", window.end.astimezone(UTC))
        event.add("summary", _("Planned maintenance: %(service)s (%(account)s)")
                  % {"service": window.rule.service.name, "account": window.account})
        description = _("Planned maintenance window of %(service)s for end-user account %(account)s.") % {
            "service": window.rule.service.name, "account": window.account}
        if window.rescheduled:
            description += " " + _("Rescheduled at the reseller's request.")
        event.add("description", description)
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    for notice in unplanned_for_reseller(reseller, now=now):
        event = Event()
        event.add("uid", f"unplanned-{notice.pk}@reseller-support-portal")
        event.add("dtstamp", stamp)
        event.add("dtstart", notice.starts_at.astimezone(UTC))
        event.add("dtend", notice.ends_at.astimezone(UTC))
        event.add("summary", _("Unplanned maintenance: %(services)s")
                  % {"services": ", ".join(service.name for service in notice.services.all())})
        event.add("description", notice.description)
        calendar.add_component(event)
    return calendar.to_ical()


# --- reschedule requests --------------------------------------------------------------------------


@transaction.atomic
def reschedule_request_create(
    *, account: EndUserAccount, contact: User, rule: MaintenanceRule, occurrence_start: datetime,
    proposed_start: datetime, proposed_end: datetime, reason: str,
) -> RescheduleRequest:
    """A Designated Contact asks to move one planned occurrence; Customer Care is emailed."""
    _require_contact_of(contact, account.reseller)
    errors: dict[str, str] = {}
    occurrence = planned_occurrence(account=account, rule=rule, start=occurrence_start)
    now = timezone.now()
    if occurrence is None:
        errors["occurrence_start"] = _("This is not a planned maintenance window of the account.")
    elif occurrence.start <= now:
        errors["occurrence_start"] = _("This window has already started.")
    if proposed_start is None or proposed_end is None:
        errors["proposed_start"] = _("Give the proposed start and end.")
    elif proposed_end <= proposed_start:
        errors["proposed_end"] = _("The proposed end must be after the proposed start.")
    elif proposed_start <= now:
        errors["proposed_start"] = _("The proposed time must be in the future.")
    if not (reason or "").strip():
        errors["reason"] = _("Explain the business reason.")
    if errors:
        raise ValidationError(errors)
    assert occurrence is not None
    if RescheduleRequest.objects.filter(account=account, rule=rule, occurrence_start=occurrence.start,
                                        status=RescheduleRequest.Status.PENDING).exists():
        raise ValidationError({"occurrence_start": _("A request for this window is already awaiting Customer Care.")})
    request = RescheduleRequest.objects.create(
        account=account, rule=rule, occurrence_start=occurrence.start, occurrence_end=occurrence.end,
        proposed_start=proposed_start, proposed_end=proposed_end, reason=reason.strip(), requested_by=contact,
    )
    maintenance_emails.queue(maintenance_emails.MaintenanceEmail.RESCHEDULE_REQUESTED, request.pk)
    return request


@transaction.atomic
def reschedule_request_decide(*, request: RescheduleRequest, actor: User, accept: bool,
                              note: str = "") -> RescheduleRequest:
    """Care accepts or declines; the reseller's Designated Contacts are emailed."""
    if not is_care_staff(actor):
        raise PermissionDenied("Only Customer Care staff may do this.")
    request = RescheduleRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RescheduleRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not accept and not (note or "").strip():
        raise ValidationError({"decision_note": _("Tell the reseller why the request is declined.")})
    request.status = RescheduleRequest.Status.ACCEPTED if accept else RescheduleRequest.Status.DECLINED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = (note or "").strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    maintenance_emails.queue(maintenance_emails.MaintenanceEmail.RESCHEDULE_DECIDED, request.pk)
    return request


# --- unplanned maintenance ------------------------------------------------------------------------


def _validate_notice(*, services: Iterable[CloudService], starts_at: datetime, ends_at: datetime,
                     description: str) -> list[CloudService]:
    services = list(services)
    errors: dict[str, str] = {}
    if not services:
        errors["services"] = _("Choose the affected cloud services.")
    if starts_at is None or ends_at is None:
        errors["ends_at"] = _("Give the start and the expected end.")
    elif ends_at <= starts_at:
        errors["ends_at"] = _("The expected end must be after the start.")
    elif ends_at <= timezone.now():
        errors["ends_at"] = _("This maintenance has already ended.")
    if not (description or "").strip():
        errors["description"] = _("Describe the maintenance.")
    if errors:
        raise ValidationError(errors)
    return services


@transaction.atomic
def unplanned_maintenance_announce(
    *, actor: User, services: Iterable[CloudService], starts_at: datetime, ends_at: datetime, description: str,
) -> UnplannedMaintenance:
    """Records the notice and emails every Designated Contact of every affected reseller, once."""
    if not is_care_staff(actor):
        raise PermissionDenied("Only Customer Care staff may do this.")
    services = _validate_notice(services=services, starts_at=starts_at, ends_at=ends_at, description=description)
    notice = UnplannedMaintenance.objects.create(
        starts_at=starts_at, ends_at=ends_at, description=description.strip(), created_by=actor,
    )
    notice.services.set(services)
    unplanned_maintenance_notify(notice=notice)
    return notice


@transaction.atomic
def unplanned_maintenance_update(
    *, notice: UnplannedMaintenance, actor: User, services: Iterable[CloudService], starts_at: datetime,
    ends_at: datetime, description: str,
) -> UnplannedMaintenance:
    """Edits the notice; only contacts not emailed before (say, of a newly affected service) hear."""
    if not is_care_staff(actor):
        raise PermissionDenied("Only Customer Care staff may do this.")
    services = _validate_notice(services=services, starts_at=starts_at, ends_at=ends_at, description=description)
    notice = UnplannedMaintenance.objects.select_for_update().get(pk=notice.pk)
    notice.starts_at, notice.ends_at, notice.description = starts_at, ends_at, description.strip()
    notice.save(update_fields=["starts_at", "ends_at", "description"])
    notice.services.set(services)
    unplanned_maintenance_notify(notice=notice)
    return notice


def affected_resellers(notice: UnplannedMaintenance) -> list[Reseller]:
    return list(Reseller.objects.filter(accounts__services__in=notice.services.all()).distinct())


@transaction.atomic
def unplanned_maintenance_notify(*, notice: UnplannedMaintenance) -> int:
    """Creates one delivery row per (notice, Designated Contact) not yet recorded and queues its
    email. The unique constraint makes a second run (or a concurrent one) send nothing more."""
    queued = 0
    contacts = (Membership.objects.designated().filter(reseller__in=affected_resellers(notice))
                .select_related("user"))
    for membership in contacts:
        if not membership.user.email:
            continue
        try:
            with transaction.atomic():
                delivery, created = UnplannedNoticeDelivery.objects.get_or_create(
                    notice=notice, contact=membership.user,
                    defaults={"reseller": membership.reseller, "email": membership.user.email},
                )
        except IntegrityError:  # a concurrent run recorded it first
            continue
        if created:
            maintenance_emails.queue(maintenance_emails.MaintenanceEmail.UNPLANNED_NOTICE, delivery.pk)
            queued += 1
    return queued


def unplanned_for_reseller(reseller: Reseller | int | None, *, now: datetime | None = None) -> list[UnplannedMaintenance]:
    """Notices not yet ended that affect at least one of the reseller's accounts (one query; the
    services are prefetched only when there is a notice)."""
    if reseller is None:
        return []
    now = now or current_time()
    reseller_id = reseller if isinstance(reseller, int) else reseller.pk
    return list(
        UnplannedMaintenance.objects.filter(ends_at__gt=now, services__accounts__reseller_id=reseller_id)
        .distinct().prefetch_related("services").order_by("starts_at", "pk")
    )
