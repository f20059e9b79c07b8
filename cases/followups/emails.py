"""Emails after an outage: the post-mortem invitation (.ics), its cancellation, the published
incident report, and Care's due-time alerts. Services queue them on commit; a Celery task sends."""

from __future__ import annotations

from datetime import UTC, timedelta
from email.mime.text import MIMEText
from email.utils import parseaddr
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from cases.intake.emails import care_recipients, designated_contact_emails
from cases.models import IncidentReport, PostMortem
from portal.emails import build_email

PRODID = "-//Customer Care//Reseller Support Portal//EN"


class FollowUpEmail(StrEnum):
    INVITATION = "postmortem_invitation"
    CANCELLATION = "postmortem_cancelled"
    REPORT_PUBLISHED = "incident_report_published"
    REPORT_REQUESTED = "incident_report_requested"


class AlertLevel(StrEnum):
    WARNING = "warning"
    OVERDUE = "overdue"


def organizer_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def attendee_addresses(post_mortem: PostMortem) -> list[str]:
    listed = [line.strip() for line in post_mortem.attendees.splitlines() if line.strip()]
    return list(dict.fromkeys([*designated_contact_emails(post_mortem.case.reseller_id), *listed]))


def invitation_ics(post_mortem: PostMortem, *, method: str = "REQUEST") -> str:
    """One VEVENT with a stable UID; SEQUENCE grows with every update; times in UTC."""
    assert post_mortem.meeting_at is not None
    case = post_mortem.case
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", str(post_mortem.ics_uid))
    event.add("sequence", post_mortem.ics_sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    start = post_mortem.meeting_at.astimezone(UTC)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=post_mortem.duration_minutes))
    event.add("summary", _("Post-mortem: %(number)s %(subject)s") % {"number": case.number, "subject": case.subject})
    if post_mortem.location:
        event.add("location", post_mortem.location)
    event.add("description", _("Post-mortem meeting for support case %(number)s.") % {"number": case.number})
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{organizer_address()}")
    organizer.params["cn"] = vText(_("Customer Care"))
    event.add("organizer", organizer)
    for address in attendee_addresses(post_mortem):
        attendee = vCalAddress(f"mailto:{address}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _queue(kind: FollowUpEmail, object_id: int, ics: str = "") -> None:
    from cases.followups.tasks import deliver_followup_email

    transaction.on_commit(lambda: deliver_followup_email.delay(str(kind), object_id, ics))


def queue_invitation(post_mortem: PostMortem, *, update: bool) -> None:
    # The .ics is built now, from the row as this transaction leaves it: what was decided is sent.
    _queue(FollowUpEmail.INVITATION, post_mortem.pk, invitation_ics(post_mortem, method="REQUEST"))


def queue_cancellation(post_mortem: PostMortem) -> None:
    _queue(FollowUpEmail.CANCELLATION, post_mortem.pk, invitation_ics(post_mortem, method="CANCEL"))


def queue_report_published(report: IncidentReport) -> None:
    _queue(FollowUpEmail.REPORT_PUBLISHED, report.pk)


def queue_report_requested(report: IncidentReport) -> None:
    _queue(FollowUpEmail.REPORT_REQUESTED, report.pk)


def _attach_ics(message: EmailMultiAlternatives, ics: str, method: str) -> None:
    part = MIMEText(ics, "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="post-mortem.ics")
    message.attach(part)


def build_followup_email(kind: FollowUpEmail, object_id: int, ics: str = "") -> EmailMultiAlternatives | None:
    if kind in (FollowUpEmail.REPORT_PUBLISHED, FollowUpEmail.REPORT_REQUESTED):
        report = IncidentReport.objects.select_related(
            "post_mortem__case__reseller", "post_mortem__case__assignee", "requested_by"
        ).get(pk=object_id)
        post_mortem = report.post_mortem
    else:
        report = None
        post_mortem = PostMortem.objects.select_related("case__reseller").get(pk=object_id)
    case = post_mortem.case
    # A request goes to Care; everything else goes to the reseller's Designated Contacts.
    to = care_recipients(case) if kind == FollowUpEmail.REPORT_REQUESTED else designated_contact_emails(case.reseller_id)
    if not to:
        return None
    context = {
        "case": case, "post_mortem": post_mortem, "report": report, "care_phone": settings.CARE_PHONE,
        "is_update": post_mortem.ics_sequence > 0,
    }
    message = build_email(kind.value, context, to)
    if ics:
        _attach_ics(message, ics, "CANCEL" if kind == FollowUpEmail.CANCELLATION else "REQUEST")
    return message


def send_followup_email(kind: FollowUpEmail, object_id: int, ics: str = "") -> int:
    message = build_followup_email(kind, object_id, ics)
    return message.send() if message is not None else 0


def alert_message(model: str, object_id: int, level: AlertLevel) -> EmailMultiAlternatives:
    """Care's warning before, or alert at, the due time of a post-mortem or incident report."""
    item: PostMortem | IncidentReport
    if model == "incidentreport":
        item = IncidentReport.objects.select_related("post_mortem__case__assignee").get(pk=object_id)
        case, what = item.post_mortem.case, _("incident report")
        admin_path = f"/admin/cases/incidentreport/{item.pk}/change/"
    else:
        item = PostMortem.objects.select_related("case__assignee").get(pk=object_id)
        case, what = item.case, _("post-mortem")
        admin_path = f"/admin/cases/postmortem/{item.pk}/change/"
    context = {
        "case": case, "item": item, "what": what, "is_overdue": level == AlertLevel.OVERDUE,
        "due_at": item.due_at.astimezone(UTC), "admin_path": admin_path,
    }
    return build_email("followup_alert_staff", context, care_recipients(case))
