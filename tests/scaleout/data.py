"""What the scale-out profile seeds (through the project's factories and services) and what it
checks at the end (through the ORM). Needs Django set up on the profile's own database."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connections, transaction
from django.utils import timezone

PASSWORD = "scale-out-pass-2026"  # noqa: S105 (a throw-away database)
PACKAGE = "pure_success"
# Wall-clock minutes, so deadlines fall due inside a one-minute run whatever the calendar says.
TINY_TARGETS = {"response": 1, "restoration": 2, "resolution": 4}


@dataclass
class Contact:
    username: str
    account_id: int
    service_id: int


@dataclass
class Seeded:
    contacts: list[Contact] = field(default_factory=list)
    staff: list[str] = field(default_factory=list)


def intake_details(account: Any, service: Any, subject: str) -> dict[str, Any]:
    """Complete Section 4.2 details, as cases.intake.services.case_create takes them."""
    from cases.intake.services import CONFIRMATION_FIELDS

    return {
        "account": account, "service": service, "subject": subject, "priority": random.choice([2, 3, 4]),
        "users_affected": 12, "frequency": "constant", "first_observed_at": timezone.now() - timedelta(hours=1),
        "impacted_time_zone": "America/New_York", "impacted_location": "New York contact centre",
        "impacted_working_hours": "Mon-Fri 08:00-18:00", "what_went_wrong": "Agents see error 503 at login.",
        "business_impact": "Twelve agents cannot take calls.", "steps_to_reproduce": "Sign in to the desktop.",
        "local_contact_name": "Pat Local", "local_contact_phone": "+1 212 555 0111",
        **{name: True for name in CONFIRMATION_FIELDS},
    }


def seed(*, resellers: int = 3, contacts_each: int = 2, staff: int = 2, cases_each: int = 8) -> Seeded:
    """Resellers with one account each, their Designated Contacts, staff, a policy with tiny
    targets, and a few cases opened now so their first warnings fall due early in the run."""
    from cases.intake.services import case_create
    from portal.models import CloudService
    from sla.models import SlaTarget
    from sla.targets.deadlines import policy_for_package
    from tests.portal.factories import DesignatedContactFactory, EndUserAccountFactory, ResellerFactory, StaffFactory

    seeded = Seeded()
    with transaction.atomic():
        policy = policy_for_package(PACKAGE)
        policy.notify_reseller_on_breach = True
        policy.save(update_fields=["notify_reseller_on_breach"])
        for kind, minutes in TINY_TARGETS.items():
            for severity in (1, 2, 3, 4):
                SlaTarget.objects.update_or_create(
                    policy=policy, severity=severity, kind=kind, defaults={"unit": "wall_minutes", "amount": minutes},
                )
        service = CloudService.objects.get(code="genesys-cloud-cx")
        for index in range(staff):
            StaffFactory(username=f"staff{index}", email=f"staff{index}@care.test", password=PASSWORD)
            seeded.staff.append(f"staff{index}")
        for r in range(resellers):
            reseller = ResellerFactory(name=f"Scale Reseller {r}")
            account = EndUserAccountFactory(reseller=reseller, support_package=PACKAGE, services=[service])
            users = []
            for c in range(contacts_each):
                membership = DesignatedContactFactory(
                    reseller=reseller, user__username=f"contact{r}_{c}", user__email=f"contact{r}_{c}@reseller.test",
                    user__password=PASSWORD,
                )
                users.append(membership.user)
                seeded.contacts.append(Contact(membership.user.username, account.pk, service.pk))
            for n in range(cases_each):
                case_create(contact=users[n % len(users)], details=intake_details(account, service, f"Seeded {r}-{n}"))
    return seeded


def staff_reply(*, case_number: str, staff_username: str) -> None:
    """A Care reply through the service (admin may require MFA, which a script cannot pass)."""
    from cases.intake.services import case_reply
    from cases.models import Case
    from portal.models import User

    try:
        with transaction.atomic():
            case = Case.objects.get(number=case_number)
            case_reply(case=case, author=User.objects.get(username=staff_username),
                       body="Customer Care is looking into it.")
    finally:
        connections.close_all()


def unclaimed_due(by: datetime) -> int:
    from sla.models import Milestone

    return Milestone.objects.due_for_alert(by).count()


def outbox_waiting() -> int:
    from portal.notify.models import Notification

    return Notification.objects.exclude(status="sent").count()


def exactly_once_failures(smtp_ids: Counter[str]) -> tuple[list[str], dict[str, int]]:
    """Every due alert raised once with one row per reader; every row sent, and seen by SMTP once."""
    from portal.models import Membership
    from portal.notify.models import Notification
    from sla.models import Milestone, MilestoneAlert

    failures: list[str] = []
    alerts = Counter(MilestoneAlert.objects.values_list("milestone_id", "level"))
    failures += [f"{count} alerts for {key}" for key, count in alerts.items() if count != 1]
    expected = set()
    for pk, target_at, warned_at, breached_at in Milestone.objects.values_list(
            "pk", "target_at", "warned_at", "breached_at"):
        if breached_at is not None:
            expected.add((pk, "breach"))
        if warned_at is not None and target_at is not None and warned_at < target_at:
            expected.add((pk, "warning"))
    if set(alerts) != expected:
        failures.append(f"alerts raised {len(alerts)} != claims {len(expected)}: "
                        f"missing {sorted(expected - set(alerts))[:5]}, extra {sorted(set(alerts) - expected)[:5]}")
    rows_by_key = Counter(Notification.objects.exclude(dedupe_key="").values_list("dedupe_key", "kind"))
    contacts = Counter(Membership.objects.designated().values_list("reseller_id", flat=True))
    for alert_pk, level, reseller_id, tell in MilestoneAlert.objects.values_list(
            "pk", "level", "milestone__case__reseller_id", "milestone__policy__notify_reseller_on_breach"):
        key = f"milestone-alert:{alert_pk}"
        if rows_by_key[(key, "sla_alert_staff")] != 1:
            failures.append(f"alert {alert_pk}: {rows_by_key[(key, 'sla_alert_staff')]} staff rows")
        readers = contacts[reseller_id] if level == "breach" and tell else 0
        if rows_by_key[(key, "sla_breach_reseller")] != readers:
            failures.append(f"alert {alert_pk}: {rows_by_key[(key, 'sla_breach_reseller')]} reseller rows, "
                            f"expected {readers}")
    rows = list(Notification.objects.values_list("message_id", "status"))
    unsent = [message_id for message_id, status in rows if status != "sent"]
    if unsent:
        failures.append(f"{len(unsent)} outbox rows not sent")
    row_ids = {message_id for message_id, _status in rows}
    for message_id in row_ids:
        if smtp_ids[message_id] != 1:
            failures.append(f"SMTP saw {message_id} {smtp_ids[message_id]} times")
    strangers = set(smtp_ids) - row_ids
    if strangers:
        failures.append(f"SMTP saw {len(strangers)} messages that are no outbox row")
    totals = {
        "cases": Milestone.objects.values("case_id").distinct().count(), "alerts": len(alerts),
        "breaches": sum(1 for _pk, level in alerts if level == "breach"), "outbox rows": len(rows),
        "smtp messages": sum(smtp_ids.values()),
    }
    return failures[:40], totals
