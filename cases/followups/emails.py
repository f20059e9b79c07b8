"""Emails after an outage, one outbox row per reader (portal.notify): the post-mortem invitation
and its cancellation (with the .ics), the incident report requested and published, and Care's
due-time alerts. Each is queued in the caller's transaction; nothing is sent if it rolls back."""

from __future__ import annotations

from datetime import UTC, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event, vCalAddress, vText

from cases.models import IncidentReport, PostMortem
from portal.models import User
from portal.notify.models import Notification
from portal.notify.services import notification_queue
from portal.tenancy.recipients import care_recipients, designated_contacts

PRODID = "-//Customer Care//Reseller Support Portal//EN"
TEMPLATES = "cases/followups/emails/"
OVERDUE, WARNING = "overdue", "warning"


def organizer_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def extra_attendees(post_mortem: PostMortem) -> list[str]:
    """The addresses staff typed in (validated by services.clean_attendees)."""
    return [line.strip() for line in post_mortem.attendees.replace(",", "\n").splitlines() if line.strip()]


def _invitees(post_mortem: PostMortem) -> list[User | str]:
    # Contacts as Users (their language and zone), then the typed-in addresses; the outbox drops
    # an address that is both.
    return [*designated_contacts(post_mortem.case.reseller_id), *extra_attendees(post_mortem)]


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
    addresses = [person.email if isinstance(person, User) else person for person in _invitees(post_mortem)]
    for address in dict.fromkeys(address.lower() for address in addresses):
        attendee = vCalAddress(f"mailto:{address}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _meeting_notify(post_mortem: PostMortem, *, method: str, kind: str) -> list[Notification]:
    # The .ics is built now, from the row as this transaction leaves it: what was decided is sent.
    ics = invitation_ics(post_mortem, method=method)
    return notification_queue(
        kind=kind, template=f"{TEMPLATES}{kind}", recipients=_invitees(post_mortem),
        context={"case": post_mortem.case, "post_mortem": post_mortem, "is_update": post_mortem.ics_sequence > 0},
        about=post_mortem,
        attachments=[{"filename": "invite.ics", "content": ics, "mimetype": f"text/calendar; method={method}"}],
        # One per version of the meeting (SEQUENCE grows with each change) and reader.
        dedupe_key=f"postmortem-{method.lower()}:{post_mortem.pk}:{post_mortem.ics_sequence}",
    )


def postmortem_invitation_notify(*, post_mortem: PostMortem) -> list[Notification]:
    """The invitation (or its update, same UID, higher SEQUENCE) to the Designated Contacts and
    the extra attendees."""
    return _meeting_notify(post_mortem, method="REQUEST", kind="postmortem_invitation")


def postmortem_cancellation_notify(*, post_mortem: PostMortem) -> list[Notification]:
    return _meeting_notify(post_mortem, method="CANCEL", kind="postmortem_cancelled")


def incident_report_requested_notify(*, report: IncidentReport) -> list[Notification]:
    """Care (the assignee, else the queue) hears what the reseller wants covered."""
    case = report.post_mortem.case
    return notification_queue(
        kind="incident_report_requested", template=f"{TEMPLATES}incident_report_requested",
        recipients=care_recipients(case.assignee), context={"case": case, "report": report}, about=report,
    )


def incident_report_published_notify(*, report: IncidentReport) -> list[Notification]:
    case = report.post_mortem.case
    return notification_queue(
        kind="incident_report_published", template=f"{TEMPLATES}incident_report_published",
        recipients=designated_contacts(case.reseller_id), context={"case": case, "report": report},
        about=report,
    )


def followup_alert_notify(*, item: PostMortem | IncidentReport, level: str) -> list[Notification]:
    """Care's warning before, or alert at, the due time of a post-mortem or incident report. The
    sweep calls this in the transaction of its claim; the key names the object and the level."""
    model = item._meta.model_name
    if isinstance(item, IncidentReport):
        # Lazy: translated when each reader's email is rendered, in their language.
        case, what = item.post_mortem.case, gettext_lazy("incident report")
    else:
        case, what = item.case, gettext_lazy("post-mortem")
    return notification_queue(
        kind="followup_alert_staff", template=f"{TEMPLATES}followup_alert_staff",
        recipients=care_recipients(case.assignee),
        context={"case": case, "item": item, "what": what, "is_overdue": level == OVERDUE,
                 "admin_url_name": f"admin:cases_{model}_change"},
        about=item, dedupe_key=f"{model}-{level}:{item.pk}",
    )
