"""Maintenance windows (Support Guide 3, Table 2): occurrences and the services that write.

Occurrences are computed by the pure sla.maintenance.occurrences.

Writes
------
Every write is typed, keyword-only, one transaction, and writes its emails' outbox rows in it
(sla.maintenance.emails). Access decisions come from portal.access.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import require_care_staff, require_designated_contact, require_staff_permission
from portal.models import CloudService, EndUserAccount, Membership, Reseller, User
from portal.tenancy.recipients import designated_contacts
from sla.maintenance import emails as maintenance_emails
from sla.maintenance.models import (
    MaintenanceFeed,
    MaintenanceRule,
    RescheduleRequest,
    UnplannedMaintenance,
    UnplannedNoticeDelivery,
)
from sla.maintenance.occurrences import (  # noqa: F401  re-exported for callers and tests
    Occurrence,
    WindowRule,
    iter_occurrences,
    next_occurrences,
    occurrence_on,
)

FEED_DAYS = 90
FEED_TOKEN_BYTES = 32


def current_time() -> datetime:
    """"Now" for the pages, the feed and the banner; tests replace it to look at a chosen date."""
    return timezone.now()


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
    feed.updated_by = feed.token_created_by = actor
    feed.save()
    return feed


@transaction.atomic
def feed_token_revoke(*, reseller: Reseller, actor: User) -> MaintenanceFeed:
    _require_contact_of(actor, reseller)
    feed, _created = MaintenanceFeed.objects.select_for_update().get_or_create(reseller=reseller)
    feed.token = None
    feed.updated_by = actor
    feed.token_created_by = None
    feed.save()
    return feed


@transaction.atomic
def feed_tokens_revoke_for_user(*, user: User) -> int:
    """Ending someone's access (settings.ACCESS_REVOKERS) revokes the feed tokens they made: a
    calendar address handed out by a revoked contact stops working with them. Returns how many."""
    return MaintenanceFeed.objects.filter(token_created_by=user).update(
        token=None, token_created_by=None, updated_by=None, updated_at=timezone.now(),
    )


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
    maintenance_emails.reschedule_requested_notify(request=request)
    return request


@transaction.atomic
def reschedule_request_decide(*, request: RescheduleRequest, actor: User, accept: bool,
                              note: str = "") -> RescheduleRequest:
    """Care accepts or declines; the contact who asked is emailed."""
    require_staff_permission(actor, "sla.change_reschedulerequest")
    request = (RescheduleRequest.objects.select_for_update(of=("self",))
               .select_related("account__reseller", "rule__service", "requested_by").get(pk=request.pk))
    if request.status != RescheduleRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not accept and not (note or "").strip():
        raise ValidationError({"decision_note": _("Tell the reseller why the request is declined.")})
    request.status = RescheduleRequest.Status.ACCEPTED if accept else RescheduleRequest.Status.DECLINED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = (note or "").strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    maintenance_emails.reschedule_decided_notify(request=request)
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
    require_staff_permission(actor, "sla.add_unplannedmaintenance")
    services = _validate_notice(services=services, starts_at=starts_at, ends_at=ends_at, description=description)
    notice = UnplannedMaintenance.objects.create(
        starts_at=starts_at, ends_at=ends_at, description=description.strip(), created_by=actor,
    )
    notice.services.set(services)
    unplanned_maintenance_notify(notice=notice, actor=actor)
    return notice


@transaction.atomic
def unplanned_maintenance_update(
    *, notice: UnplannedMaintenance, actor: User, services: Iterable[CloudService], starts_at: datetime,
    ends_at: datetime, description: str,
) -> UnplannedMaintenance:
    """Edits the notice; only contacts not emailed before (say, of a newly affected service) hear."""
    require_staff_permission(actor, "sla.change_unplannedmaintenance")
    services = _validate_notice(services=services, starts_at=starts_at, ends_at=ends_at, description=description)
    notice = UnplannedMaintenance.objects.select_for_update().get(pk=notice.pk)
    notice.starts_at, notice.ends_at, notice.description = starts_at, ends_at, description.strip()
    notice.save(update_fields=["starts_at", "ends_at", "description"])
    notice.services.set(services)
    unplanned_maintenance_notify(notice=notice, actor=actor)
    return notice


def affected_resellers(notice: UnplannedMaintenance) -> list[Reseller]:
    return list(Reseller.objects.filter(accounts__services__in=notice.services.all()).distinct())


@transaction.atomic
def unplanned_maintenance_notify(*, notice: UnplannedMaintenance, actor: User) -> int:
    """Creates one delivery row per (notice, Designated Contact) not yet recorded and, in the same
    transaction, its outbox row. The unique constraint makes a second run (or a concurrent one)
    queue nothing more."""
    require_care_staff(actor)
    queued = 0
    for reseller in affected_resellers(notice):
        for contact in designated_contacts(reseller.pk):
            try:
                with transaction.atomic():
                    # sent_at is the queued time; the outbox row records the actual send.
                    delivery, created = UnplannedNoticeDelivery.objects.get_or_create(
                        notice=notice, contact=contact,
                        defaults={"reseller": reseller, "email": contact.email, "sent_at": timezone.now()},
                    )
            except IntegrityError:  # a concurrent run recorded it first
                continue
            if created:
                maintenance_emails.unplanned_notice_notify(delivery=delivery)
                queued += 1
    return queued


def unplanned_for_reseller(
    reseller: Reseller | int | None, *, now: datetime | None = None
) -> list[UnplannedMaintenance]:
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
