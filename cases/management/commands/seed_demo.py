"""Demo data for `make run`. Idempotent: running it twice changes nothing the second time."""

from __future__ import annotations

from base64 import b32decode
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.escalation import services as escalation
from cases.followups import services as postmortems
from cases.intake import services as case_services
from cases.models import Case, FeatureRequest, Frequency, Severity, Status
from cases.requests.features import services as features
from portal import roles
from portal.management.commands.runbanner import DEMO_MFA_RECOVERY_CODES, DEMO_MFA_TOTP_SECRET, DEMO_PASSWORD
from portal.models import CloudService, EndUserAccount, Membership, Reseller, SupportPackage, User
from sla.targets.calendars import calendar_for_account

RESELLERS: list[dict[str, Any]] = [
    {
        "name": "Northwind Telecom",
        "people": [
            ("alice", "Alice", "Archer", "approved", "+1 212 555 0101", "America/New_York"),
            ("bob", "Bob", "Baker", "approved", "+1 212 555 0102", "America/Chicago"),
            ("carol", "Carol", "Chen", "none", "", "America/New_York"),
        ],
        "accounts": [
            ("Contoso Retail", "Customer Service", SupportPackage.CARE, "America/New_York",
             ["genesys-cloud-cx", "pureengage-cloud"]),
            ("Fabrikam Health", "Patient Line", SupportPackage.BUSINESS_CARE, "Europe/London",
             ["premier-edition", "outbound-engagement"]),
        ],
    },
    {
        "name": "Blue Yonder Networks",
        "people": [
            ("dana", "Dana", "Dubois", "approved", "+61 2 5550 0103", "Australia/Sydney"),
            ("erik", "Erik", "Eriksen", "approved", "+46 8 555 0104", "Europe/Stockholm"),
            ("fay", "Fay", "Fischer", "none", "", "Europe/Berlin"),
        ],
        "accounts": [
            ("Tailspin Travel", "Reservations", SupportPackage.PURE_SUCCESS, "Australia/Sydney",
             ["genesys-cloud-cx", "genesys-social-analytics"]),
            ("Wingtip Energy", "", SupportPackage.BUSINESS_CARE, "Europe/Berlin", ["pureengage-cloud"]),
        ],
    },
]


# Customer Care staff besides `care` (who works the demo cases): one per role.
STAFF = [
    ("engineer", "Eli", "Engineer", "Europe/Dublin", roles.CARE_ENGINEER),
    ("lead", "Lee", "Lead", "Europe/London", roles.CARE_LEAD),
    ("privacy", "Pia", "Privacy", "Europe/Berlin", roles.PRIVACY_OFFICER),
    ("admin", "Ada", "Admin", "UTC", roles.ADMINISTRATOR),
]


class Command(BaseCommand):
    help = "Loads demo resellers, contacts, accounts and cases (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        roles.roles_sync()  # portal 0014 made them; again in case the database was flushed since
        care = self._staff("care", "Casey", "Care", "UTC", roles.CARE_ENGINEER)
        for username, first, last, zone, role in STAFF:
            self._staff(username, first, last, zone, role)
        for spec in RESELLERS:
            reseller, _ = Reseller.objects.get_or_create(name=spec["name"])
            contacts = []
            for username, first, last, designation, phone, zone in spec["people"]:
                user = self._user(username, first, last, zone)
                membership, _ = Membership.objects.get_or_create(
                    user=user, defaults={"reseller": reseller, "designation": designation, "phone_24x7": phone}
                )
                if membership.designation == Membership.Designation.APPROVED:
                    contacts.append(user)
            accounts = []
            for name, department, package, zone, codes in spec["accounts"]:
                account, created = EndUserAccount.objects.get_or_create(
                    reseller=reseller, name=name, department=department,
                    defaults={"support_package": package, "time_zone": zone,
                              "csm_name": "Morgan CSM", "csm_email": "csm@example.com"},
                )
                if created:
                    account.services.set(CloudService.objects.filter(code__in=codes))
                calendar_for_account(account)
                accounts.append(account)
            if not Case.objects.filter(reseller=reseller).exists():
                self._cases(contacts[0], care, accounts)
            if not FeatureRequest.objects.filter(reseller=reseller).exists():
                self._feature(contacts[0], care, accounts[0])
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _staff(self, username: str, first: str, last: str, zone: str, role: str) -> User:
        """Demo staff hold one role each and none is a superuser (earlier demo data had two)."""
        user = self._user(username, first, last, zone, staff=True)
        if user.is_superuser:
            user.is_superuser = False
            user.save(update_fields=["is_superuser"])
        user.groups.set([Group.objects.get(name=role)])
        return user

    def _feature(self, contact: User, care: User, account: EndUserAccount) -> None:
        """A published feature request, so the other reseller can see it and vote."""
        service = account.services.first()
        assert service is not None, "every seeded account has a service"
        feature = features.feature_submit(
            contact=contact, title=f"Bulk export of {account.name} wallboard history",
            problem="Supervisors rebuild weekly wallboard reports by hand.",
            service=service, business_value="Saves a supervisor half a day each week.",
        )
        features.feature_publish(
            feature=feature, actor=care, public_title="Bulk export of wallboard history",
            public_summary="Export a date range of wallboard statistics as CSV.",
        )

    def _user(self, username: str, first: str, last: str, zone: str, staff: bool = False) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com",
                      "time_zone": zone, "is_staff": staff},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if staff:
            self._demo_mfa(user)
        return user

    def _demo_mfa(self, user: User) -> None:
        """Demo staff only: MFA with the known key and recovery codes the `make run` banner prints
        (admin opens only after the MFA step). The used codes come back on every run."""
        TOTPDevice.objects.get_or_create(user=user, name="Demo authenticator", defaults={
            "key": b32decode(DEMO_MFA_TOTP_SECRET).hex(), "confirmed": True,
        })
        device, _ = StaticDevice.objects.get_or_create(user=user, name="Demo recovery codes")
        device.token_set.all().delete()
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in DEMO_MFA_RECOVERY_CODES])

    def _cases(self, contact: User, care: User, accounts: list[EndUserAccount]) -> None:
        now = timezone.now()
        stories = [
            ("Agents cannot log in to the desktop", Severity.HIGH, Status.IN_PROGRESS),
            ("Wallboard report shows yesterday's figures", Severity.MEDIUM, Status.NEW),
            ("Outbound campaign paused on its own overnight", Severity.HIGH, Status.RESTORED),
            ("Request to rename a queue label", Severity.LOW, Status.RESOLVED),
        ]
        for index, (subject, priority, status) in enumerate(stories):
            account = accounts[index % len(accounts)]
            case = case_services.case_create(contact=contact, details={
                "account": account, "service": account.services.first(), "subject": subject,
                "priority": priority, "users_affected": 10 * (index + 1),
                "frequency": Frequency.INTERMITTENT, "first_observed_at": now - timedelta(hours=5 + index),
                "impacted_time_zone": account.time_zone, "impacted_location": "Head office",
                "impacted_working_hours": "Mon-Fri 08:00-18:00",
                "what_went_wrong": subject + ".", "business_impact": "Customers wait longer in queue.",
                "steps_to_reproduce": "Sign in as an agent and open the desktop.",
                "local_contact_name": str(contact), "local_contact_phone": "+1 212 555 0199",
                **{field: True for field in case_services.CONFIRMATION_FIELDS},
            })
            if status != Status.NEW:
                case_services.case_assign(case=case, actor=care, assignee=care)
                case_services.case_reply(case=case, author=care, body="We are looking into this now.")
                case_services.case_change_status(case=case, actor=care, status=status)
            if status == Status.RESTORED:
                self._post_mortem(case, care, contact)
            if status == Status.IN_PROGRESS:
                escalation.case_flag_critical_call(case=case, contact=contact)

    def _post_mortem(self, case: Case, care: User, contact: User) -> None:
        """A restored High case with its post-mortem held and an incident report requested."""
        now = timezone.now()
        post_mortem = postmortems.case_record_service_resolution(case=case, actor=care, at=now - timedelta(hours=2))
        if post_mortem is None:
            return
        postmortems.postmortem_schedule(
            post_mortem=post_mortem, actor=care, meeting_at=now - timedelta(hours=1), duration_minutes=45,
            location="Video call", attendees=contact.email,
        )
        postmortems.postmortem_complete(
            post_mortem=post_mortem, actor=care, minutes="Walked through the outage and the workaround.",
            root_cause_analysis="A dialer configuration push paused active campaigns.",
        )
        postmortems.incident_report_request(
            post_mortem=post_mortem, contact=contact, coverage_request="Root cause and prevention steps.",
        )
