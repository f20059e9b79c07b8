"""Bench data for bench_pages and bench_http: service-made cases, copied in SQL up to a size."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

BENCH_CONTACT = "alice"  # seed_demo's Designated Contact of Northwind Telecom
BENCH_STAFF = "care"
SEARCH_WORD = "voicemail"
TEMPLATES = 96  # with seed_demo's own cases, about a hundred made by the services
COPY_TAG = "B"  # copies are numbered CS-B<id>: never a number the services would give
RECENT_GENERATIONS = 40  # copies older than this many generations (about a month) are closed
GENERATION_STEP = "17 hours"  # 1,000 generations spread over about two years

SUBJECTS = [
    "Agents cannot log in to the desktop", "Wallboard report shows yesterday's figures",
    "Outbound campaign paused on its own overnight", "Calls drop after 30 seconds on the IVR",
    "Inbound voicemail is not transcribed", "Supervisor cannot listen to live calls",
    "Queue statistics export times out", "Chat widget does not load on the website",
    "Recording playback has no audio", "Skills routing sends calls to the wrong team",
    "Callback requests are lost after a transfer", "SSO login loops back to the sign-in page",
]


def _make_templates() -> None:
    """About a hundred cases through the services: milestones, events, replies and outbox rows."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from cases.escalation.services import case_change_severity
    from cases.intake import services
    from cases.models import Frequency, Severity, Status
    from portal.models import EndUserAccount, User

    call_command("seed_demo", verbosity=0)
    contact = User.objects.get(username=BENCH_CONTACT)
    care = User.objects.get(username=BENCH_STAFF)
    accounts = list(EndUserAccount.objects.filter(reseller__memberships__user=contact).order_by("id"))
    statuses = [Status.NEW, Status.IN_PROGRESS, Status.AWAITING_RESELLER, Status.RESTORED, Status.RESOLVED,
                Status.CLOSED, Status.CLOSED, Status.IN_PROGRESS]
    now = timezone.now()
    for index in range(TEMPLATES):
        account = accounts[index % len(accounts)]
        subject = SUBJECTS[index % len(SUBJECTS)]
        with transaction.atomic():
            case = services.case_create(contact=contact, details={
                "account": account, "service": account.services.first(), "subject": f"Bench: {subject}",
                "priority": [Severity.HIGH, Severity.MEDIUM, Severity.LOW][index % 3],
                "users_affected": 5 + index, "frequency": Frequency.INTERMITTENT,
                "first_observed_at": now - timedelta(hours=3), "impacted_time_zone": account.time_zone,
                "impacted_location": "Head office", "impacted_working_hours": "Mon-Fri 08:00-18:00",
                "what_went_wrong": f"{subject} since this morning.",
                "business_impact": "Customers wait longer in queue.",
                "steps_to_reproduce": "Sign in as an agent and open the desktop.",
                "local_contact_name": str(contact), "local_contact_phone": "+1 212 555 0199",
                **{field: True for field in services.CONFIRMATION_FIELDS},
            })
            status = statuses[index % len(statuses)]
            if index % 5:
                services.case_assign(case=case, actor=care, assignee=care)
                services.case_reply(case=case, author=care, body="We are looking into this now.")
            services.case_reply(case=case, author=contact, body="It happens again this afternoon.")
            if index % 11 == 0:
                case_change_severity(case=case, actor=care, severity=Severity.CRITICAL, reason="Phone call")
            if status != Status.NEW:
                services.case_change_status(case=case, actor=care, status=status)


def _copied_fields(model: Any) -> list[Any]:
    """Every stored column but the id and those the database computes (GeneratedField)."""
    return [field for field in model._meta.concrete_fields
            if field.column != "id" and not getattr(field, "generated", False)]


def _copy_sql(model: Any, source: str, overrides: dict[str, str]) -> tuple[str, str]:
    """Column list and SELECT list copying `source` rows, shifting every timestamp back."""
    from django.db import models

    fields = _copied_fields(model)
    columns = [field.column for field in fields]
    values = []
    for field in fields:
        if field.column in overrides:
            values.append(overrides[field.column])
        elif isinstance(field, models.DateTimeField):
            values.append(f"{source}.{field.column} - m.shift")
        else:
            values.append(f"{source}.{field.column}")
    return ", ".join(["id", *columns]), ", ".join(values)


def _copy(generations: range) -> None:
    from django.db import connection

    from cases.models import Case, CaseEvent, Reply
    from sla.models import Milestone

    if not generations:
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_case_map, bench_reply_map")
        cursor.execute(
            f"""CREATE TEMP TABLE bench_case_map AS
            SELECT nextval(pg_get_serial_sequence('cases_case', 'id')) AS new_id, t.id AS old_id, g,
                   g * interval '{GENERATION_STEP}' AS shift
            FROM generate_series(%s, %s) g
            CROSS JOIN (SELECT id FROM cases_case WHERE subject LIKE 'Bench:%%' AND number LIKE 'CS-1%%') t
            ORDER BY g, t.id""",
            [generations.start, generations.stop - 1],
        )
        closed = f"CASE WHEN m.g > {RECENT_GENERATIONS} THEN 'closed' ELSE t.status END"
        cols, vals = _copy_sql(Case, "t", {"number": f"'CS-{COPY_TAG}' || m.new_id", "status": closed})
        cursor.execute(f"INSERT INTO cases_case ({cols}) SELECT m.new_id, {vals} "
                       "FROM bench_case_map m JOIN cases_case t ON t.id = m.old_id")
        alert = f"CASE WHEN m.g > {RECENT_GENERATIONS} THEN NULL ELSE s.next_alert_at - m.shift END"
        cols, vals = _copy_sql(Milestone, "s", {"case_id": "m.new_id", "next_alert_at": alert})
        cursor.execute(f"INSERT INTO sla_milestone ({cols}) SELECT nextval(pg_get_serial_sequence("
                       f"'sla_milestone', 'id')), {vals} FROM bench_case_map m JOIN sla_milestone s "
                       "ON s.case_id = m.old_id")
        cursor.execute("""CREATE TEMP TABLE bench_reply_map AS
            SELECT nextval(pg_get_serial_sequence('cases_reply', 'id')) AS new_id, r.id AS old_id,
                   m.new_id AS case_id
            FROM bench_case_map m JOIN cases_reply r ON r.case_id = m.old_id""")
        cols, vals = _copy_sql(Reply, "r", {"case_id": "rm.case_id"})
        cursor.execute(f"INSERT INTO cases_reply ({cols}) SELECT rm.new_id, {vals} FROM bench_reply_map rm "
                       "JOIN cases_reply r ON r.id = rm.old_id JOIN bench_case_map m ON m.new_id = rm.case_id")
        cols, vals = _copy_sql(CaseEvent, "e", {"case_id": "m.new_id", "reply_id": "rm.new_id",
                                                 "attachment_id": "NULL"})
        cursor.execute(f"INSERT INTO cases_caseevent ({cols}) SELECT nextval(pg_get_serial_sequence("
                       f"'cases_caseevent', 'id')), {vals} FROM bench_case_map m "
                       "JOIN cases_caseevent e ON e.case_id = m.old_id "
                       "LEFT JOIN bench_reply_map rm ON rm.old_id = e.reply_id AND rm.case_id = m.new_id")


def load_cases(size: int) -> None:
    """Makes the database hold about `size` cases (templates first, then copies)."""
    from django.db import connection

    from cases.models import Case

    if not Case.objects.filter(subject__startswith="Bench:").exists():
        print("making template cases with the services...", flush=True)
        _make_templates()
    templates = Case.objects.filter(subject__startswith="Bench:", number__startswith="CS-1").count()
    total = Case.objects.count()
    if total > size + templates:
        with connection.cursor() as cursor:  # smaller than before: drop every copy and copy again
            copies = f"SELECT id FROM cases_case WHERE number LIKE 'CS-{COPY_TAG}%'"
            for table in ("cases_caseevent", "cases_reply", "sla_milestone"):
                cursor.execute(f"DELETE FROM {table} WHERE case_id IN ({copies})")
            cursor.execute(f"DELETE FROM cases_case WHERE id IN ({copies})")
        total = Case.objects.count()
    have = (total - templates) // templates
    want = max(0, size // templates - 1)
    if want > have:
        print(f"copying to {size:,} cases...", flush=True)
        _copy(range(have + 1, want + 1))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        # Write the copies out now: a checkpoint spread over the next minutes would compete with
        # the pages being timed.
        cursor.execute("CHECKPOINT")
    print(f"{Case.objects.count():,} cases", flush=True)


def static_files_collect() -> None:
    """With DEBUG off the pages link the hashed files of the manifest, as after the release step."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def _https_client_class() -> Any:
    from django.test import Client

    class HttpsClient(Client):
        def generic(self, *args: Any, **kwargs: Any) -> Any:
            kwargs["secure"] = True  # as every Client.get(secure=True)
            return super().generic(*args, **kwargs)

    return HttpsClient


def bench_client(username: str) -> Any:
    """A test client signed in as `username` the way production sees it: over HTTPS (the settings
    redirect plain HTTP when DEBUG is off) and, for Care staff, past the MFA step (a confirmed
    TOTP device and a session that says it was used), so the pages measured are the real ones."""
    import time

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.access import mfa_required
    from portal.mfa.sessions import staff_session_touch
    from portal.models import User

    user = User.objects.get(username=username)
    client = _https_client_class()()
    client.force_login(user)
    if mfa_required(user):
        device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
                  or TOTPDevice.objects.create(user=user, name="bench", confirmed=True))
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        staff_session_touch(session, now=time.time())
        session.save()
    return client
