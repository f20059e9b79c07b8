"""After a serious outage (Support Guide 2): service resolution, the post-mortem meeting and the
incident report. Each write validates, saves and records history in one transaction, and writes
the outbox rows of the emails it owes in that transaction (through cases.followups.emails)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.followups import emails as followup_mail
from cases.followups import events
from cases.models import Case, CaseEvent, IncidentReport, PostMortem, Severity
from portal.access import require_care_staff, require_designated_contact
from portal.models import User
from portal.service_errors import AlreadyDone
from sla.businesstime import BusinessCalendar
from sla.targets.calendars import business_calendar, calendar_for_account

# Support Guide 2: the post-mortem meeting within these business days of Service Resolution.
POSTMORTEM_BUSINESS_DAYS = {Severity.CRITICAL: 2, Severity.HIGH: 5}
# ...and the incident report within 3 business days of the meeting.
INCIDENT_REPORT_BUSINESS_DAYS = 3
# Care is warned this many business days before either falls due.
WARN_BUSINESS_DAYS_BEFORE = 1
MAX_DURATION_MINUTES = 8 * 60



def _hours_for(case: Case) -> BusinessCalendar:
    return business_calendar(calendar_for_account(case.account))


def _due_and_warning(hours: BusinessCalendar, start: datetime, days: int) -> tuple[datetime, datetime | None]:
    due = hours.add_business_days(start, days)
    warn = hours.add_business_days(start, days - WARN_BUSINESS_DAYS_BEFORE) if days > 1 else None
    if warn is not None and warn >= due:
        warn = None
    return due, warn


def postmortem_due(*, case: Case, resolved_at: datetime) -> datetime:
    """When the post-mortem of a Critical or High case falls due, on the end user's calendar."""
    return _hours_for(case).add_business_days(resolved_at, POSTMORTEM_BUSINESS_DAYS[Severity(case.severity)])


def next_postmortem_alert(post_mortem: PostMortem) -> datetime | None:
    """The stored time the follow-up sweep reads: the warning (only while unscheduled), then overdue."""
    done = (PostMortem.Status.COMPLETED, PostMortem.Status.NOT_APPLICABLE)
    if post_mortem.status in done or post_mortem.overdue_alerted_at is not None:
        return None
    if (post_mortem.warned_at is None and post_mortem.warn_at is not None
            and post_mortem.status == PostMortem.Status.AWAITING_SCHEDULE):
        return post_mortem.warn_at
    return post_mortem.due_at


def next_report_alert(report: IncidentReport) -> datetime | None:
    if report.status == IncidentReport.Status.PUBLISHED or report.overdue_alerted_at is not None:
        return None
    if report.warned_at is None and report.warn_at is not None:
        return report.warn_at
    return report.due_at


@transaction.atomic
def case_record_service_resolution(*, case: Case, actor: User, at: datetime | None = None) -> PostMortem | None:
    """Records the moment the end user is back to business as usual; opens the post-mortem for
    Critical and High cases."""
    require_care_staff(actor)
    case = Case.objects.select_for_update(no_key=True).select_related("account").get(pk=case.pk)
    at = at or timezone.now()
    if case.service_resolved_at is not None:
        raise ValidationError(_("Service resolution is already recorded for this case."))
    if at > timezone.now():
        raise ValidationError({"service_resolved_at": _("Service resolution cannot be in the future.")})
    case.service_resolved_at = at
    case.save(update_fields=["service_resolved_at", "updated_at"])
    events.service_resolution_event(case=case, actor=actor, at=at)
    if case.severity not in POSTMORTEM_BUSINESS_DAYS:
        return None
    due, warn = _due_and_warning(_hours_for(case), at, POSTMORTEM_BUSINESS_DAYS[Severity(case.severity)])
    post_mortem = PostMortem(
        case=case, severity=case.severity, service_resolved_at=at, due_at=due, warn_at=warn,
    )
    post_mortem.next_alert_at = next_postmortem_alert(post_mortem)
    post_mortem.save()
    events.postmortem_event(
        post_mortem=post_mortem, actor=actor, new_value=str(PostMortem.Status.AWAITING_SCHEDULE.label)
    )
    return post_mortem


def _locked(post_mortem: PostMortem) -> PostMortem:
    return PostMortem.objects.select_for_update().select_related("case__account").get(pk=post_mortem.pk)


def _save_with_alerts(post_mortem: PostMortem, fields: list[str]) -> None:
    post_mortem.next_alert_at = next_postmortem_alert(post_mortem)
    post_mortem.save(update_fields=[*fields, "next_alert_at"])


def clean_attendees(text: str) -> str:
    from django.core.validators import validate_email

    lines = [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]
    for line in lines:
        try:
            validate_email(line)
        except ValidationError:
            raise ValidationError(
                {"attendees": _("%(value)s is not an email address.") % {"value": line}}
            ) from None
    return "\n".join(dict.fromkeys(lines))


def _errors_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}


def schedule_errors(
    *, post_mortem: PostMortem, meeting_at: datetime | None, duration_minutes: int | None, attendees: str
) -> dict[str, list[str]]:
    """What stops this meeting from being scheduled; the admin form shows the same rules."""
    errors: dict[str, list[str]] = {}
    if post_mortem.status in (PostMortem.Status.COMPLETED, PostMortem.Status.NOT_APPLICABLE):
        errors[NON_FIELD_ERRORS] = [str(_("This post-mortem is closed; it cannot be scheduled."))]
    if meeting_at is None:
        errors["meeting_at"] = [str(_("Choose the meeting time."))]
    if duration_minutes is None or not 0 < duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = [str(_("A meeting lasts between 1 minute and 8 hours."))]
    try:
        clean_attendees(attendees)
    except ValidationError as error:
        errors.update(_errors_of(error))
    return errors


def cancel_errors(*, post_mortem: PostMortem) -> dict[str, list[str]]:
    if post_mortem.status != PostMortem.Status.SCHEDULED:
        return {NON_FIELD_ERRORS: [str(_("Only a scheduled meeting can be cancelled."))]}
    return {}


def not_applicable_errors(*, post_mortem: PostMortem, reason: str) -> dict[str, list[str]]:
    if not reason.strip():
        return {"not_applicable_reason": [str(_("Say why no post-mortem is held."))]}
    if post_mortem.status == PostMortem.Status.COMPLETED:
        return {NON_FIELD_ERRORS: [str(_("This post-mortem was already held."))]}
    return {}


@transaction.atomic
def postmortem_schedule(
    *, post_mortem: PostMortem, actor: User, meeting_at: datetime | None, duration_minutes: int = 60,
    location: str = "", attendees: str = "",
) -> PostMortem:
    """Schedules (or reschedules) the meeting; the reseller's Designated Contacts and the extra
    attendees get an invitation (or an update with the same UID and a higher SEQUENCE)."""
    require_care_staff(actor)
    post_mortem = _locked(post_mortem)
    errors = schedule_errors(
        post_mortem=post_mortem, meeting_at=meeting_at, duration_minutes=duration_minutes, attendees=attendees
    )
    if errors:
        raise ValidationError(errors)
    assert meeting_at is not None  # schedule_errors refused a missing time
    attendees = clean_attendees(attendees)
    rescheduling = post_mortem.status == PostMortem.Status.SCHEDULED
    if rescheduling:
        post_mortem.ics_sequence += 1
    elif post_mortem.meeting_at is not None:
        post_mortem.ics_sequence += 1  # re-inviting after a cancellation: same UID, newer version
    post_mortem.status = PostMortem.Status.SCHEDULED
    post_mortem.meeting_at = meeting_at
    post_mortem.duration_minutes = duration_minutes
    post_mortem.location = location.strip()
    post_mortem.attendees = attendees
    _save_with_alerts(post_mortem, ["status", "meeting_at", "duration_minutes", "location", "attendees",
                                    "ics_sequence"])
    when = meeting_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    label = _("Meeting rescheduled") if rescheduling else _("Meeting scheduled")
    events.postmortem_event(post_mortem=post_mortem, actor=actor, new_value=f"{label}: {when}",
                           detail=post_mortem.location)
    followup_mail.postmortem_invitation_notify(post_mortem=post_mortem)
    return post_mortem


@transaction.atomic
def postmortem_cancel(*, post_mortem: PostMortem, actor: User) -> PostMortem:
    """Cancels the scheduled meeting (METHOD:CANCEL); the post-mortem is to be scheduled again."""
    require_care_staff(actor)
    post_mortem = _locked(post_mortem)
    errors = cancel_errors(post_mortem=post_mortem)
    if errors:
        raise ValidationError(errors)
    post_mortem.status = PostMortem.Status.AWAITING_SCHEDULE
    post_mortem.ics_sequence += 1
    _save_with_alerts(post_mortem, ["status", "ics_sequence"])
    events.postmortem_event(post_mortem=post_mortem, actor=actor, new_value=_("Meeting cancelled"))
    followup_mail.postmortem_cancellation_notify(post_mortem=post_mortem)
    return post_mortem


@transaction.atomic
def postmortem_mark_not_applicable(*, post_mortem: PostMortem, actor: User, reason: str) -> PostMortem:
    """Records why no post-mortem is held; the reseller sees the reason."""
    require_care_staff(actor)
    post_mortem = _locked(post_mortem)
    errors = not_applicable_errors(post_mortem=post_mortem, reason=reason)
    if errors:
        raise ValidationError(errors)
    was_scheduled = post_mortem.status == PostMortem.Status.SCHEDULED
    post_mortem.status = PostMortem.Status.NOT_APPLICABLE
    post_mortem.not_applicable_reason = reason.strip()
    if was_scheduled:
        post_mortem.ics_sequence += 1
    _save_with_alerts(post_mortem, ["status", "not_applicable_reason", "ics_sequence"])
    events.postmortem_event(post_mortem=post_mortem, actor=actor, new_value=str(PostMortem.Status.NOT_APPLICABLE.label),
                           detail=post_mortem.not_applicable_reason)
    if was_scheduled:
        followup_mail.postmortem_cancellation_notify(post_mortem=post_mortem)
    return post_mortem


@transaction.atomic
def postmortem_save_notes(*, post_mortem: PostMortem, actor: User, minutes: str,
                          root_cause_analysis: str) -> PostMortem:
    """Keeps draft minutes and RCA while the post-mortem is open; completing it is separate."""
    require_care_staff(actor)
    post_mortem = _locked(post_mortem)
    if post_mortem.status in (PostMortem.Status.COMPLETED, PostMortem.Status.NOT_APPLICABLE):
        raise ValidationError(_("This post-mortem is closed; its notes are part of the record."))
    post_mortem.minutes = minutes.strip()
    post_mortem.root_cause_analysis = root_cause_analysis.strip()
    post_mortem.save(update_fields=["minutes", "root_cause_analysis"])
    return post_mortem


def completion_errors(*, post_mortem: PostMortem, minutes: str, root_cause_analysis: str) -> dict[str, list[str]]:
    """The rules for completing a post-mortem, shared by the service and the admin form."""
    errors: dict[str, list[str]] = {}
    if post_mortem.status != PostMortem.Status.SCHEDULED or post_mortem.meeting_at is None:
        errors.setdefault("__all__", []).append(_("Schedule the meeting before recording it as held."))
    if not minutes.strip():
        errors.setdefault("minutes", []).append(_("Record the minutes of the meeting."))
    if post_mortem.severity == Severity.CRITICAL and not root_cause_analysis.strip():
        errors.setdefault("root_cause_analysis", []).append(
            _("A Critical post-mortem needs the root cause analysis before it can be completed.")
        )
    return errors


@transaction.atomic
def postmortem_complete(
    *, post_mortem: PostMortem, actor: User, minutes: str, root_cause_analysis: str = "",
) -> PostMortem:
    """Records that the meeting was held, with its minutes (and, for Critical, the RCA)."""
    require_care_staff(actor)
    post_mortem = _locked(post_mortem)
    errors = completion_errors(post_mortem=post_mortem, minutes=minutes, root_cause_analysis=root_cause_analysis)
    if errors:
        raise ValidationError(errors)
    post_mortem.status = PostMortem.Status.COMPLETED
    post_mortem.minutes = minutes.strip()
    post_mortem.root_cause_analysis = root_cause_analysis.strip()
    post_mortem.completed_at = timezone.now()
    _save_with_alerts(post_mortem, ["status", "minutes", "root_cause_analysis", "completed_at"])
    events.postmortem_event(post_mortem=post_mortem, actor=actor, new_value=str(PostMortem.Status.COMPLETED.label))
    return post_mortem


def incident_report_due(*, post_mortem: PostMortem) -> datetime:
    assert post_mortem.meeting_at is not None
    return _hours_for(post_mortem.case).add_business_days(post_mortem.meeting_at, INCIDENT_REPORT_BUSINESS_DAYS)


@transaction.atomic
def incident_report_request(*, post_mortem: PostMortem, contact: User, coverage_request: str) -> IncidentReport:
    """A Designated Contact asks in writing for an Incident Report, due 3 bd after the meeting."""
    membership = require_designated_contact(contact)
    post_mortem = _locked(post_mortem)
    if post_mortem.case.reseller_id != membership.reseller_id:
        raise PermissionDenied("Another reseller's post-mortem.")
    if post_mortem.status != PostMortem.Status.COMPLETED:
        raise ValidationError(_("An incident report can be requested once the post-mortem meeting was held."))
    if IncidentReport.objects.filter(post_mortem=post_mortem).exists():  # a double click, say
        raise AlreadyDone(_("An incident report was already requested for this case."))
    if not coverage_request.strip():
        raise ValidationError({"coverage_request": _("Say what the report should cover.")})
    due, warn = _due_and_warning(_hours_for(post_mortem.case), post_mortem.meeting_at,  # type: ignore[arg-type]
                                 INCIDENT_REPORT_BUSINESS_DAYS)
    report = IncidentReport(
        post_mortem=post_mortem, requested_by=contact, coverage_request=coverage_request.strip(),
        due_at=due, warn_at=warn,
    )
    report.next_alert_at = next_report_alert(report)
    report.save()
    events.postmortem_event(
        post_mortem=post_mortem, actor=contact, new_value=str(IncidentReport.Status.REQUESTED.label),
        detail=report.coverage_request, kind=CaseEvent.Kind.INCIDENT_REPORT, due_at=report.due_at,
    )
    followup_mail.incident_report_requested_notify(report=report)
    return report


REPORT_SECTIONS = ("outage_explanation", "timeline", "root_causes", "remediation_steps")


@transaction.atomic
def incident_report_save_draft(*, report: IncidentReport, actor: User, **sections: str) -> IncidentReport:
    """Staff keep a draft; nothing is shown to the reseller until it is published."""
    require_care_staff(actor)
    report = IncidentReport.objects.select_for_update().get(pk=report.pk)
    if report.status == IncidentReport.Status.PUBLISHED:
        raise ValidationError(_("A published report is part of the record and cannot be changed."))
    for field in REPORT_SECTIONS:
        if field in sections:
            setattr(report, field, sections[field].strip())
    report.save(update_fields=list(REPORT_SECTIONS))
    return report


def publication_errors(**sections: str) -> dict[str, list[str]]:
    return {
        field: [_("Write this section before publishing.")]
        for field in REPORT_SECTIONS if not sections.get(field, "").strip()
    }


@transaction.atomic
def incident_report_publish(
    *, report: IncidentReport, actor: User, outage_explanation: str, timeline: str, root_causes: str,
    remediation_steps: str,
) -> IncidentReport:
    """Publishes the report to the reseller's portal and emails its Designated Contacts."""
    report = incident_report_save_draft(
        report=report, actor=actor, outage_explanation=outage_explanation, timeline=timeline,
        root_causes=root_causes, remediation_steps=remediation_steps,
    )
    report = IncidentReport.objects.select_for_update().select_related("post_mortem__case").get(pk=report.pk)
    errors = publication_errors(**{field: getattr(report, field) for field in REPORT_SECTIONS})
    if errors:
        raise ValidationError(errors)
    report.status = IncidentReport.Status.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = actor
    report.next_alert_at = next_report_alert(report)
    report.save(update_fields=["status", "published_at", "published_by", "next_alert_at"])
    events.postmortem_event(
        post_mortem=report.post_mortem, actor=actor, new_value=str(IncidentReport.Status.PUBLISHED.label),
        kind=CaseEvent.Kind.INCIDENT_REPORT, due_at=report.due_at,
    )
    followup_mail.incident_report_published_notify(report=report)
    return report


def meeting_end(post_mortem: PostMortem) -> datetime:
    assert post_mortem.meeting_at is not None
    return post_mortem.meeting_at + timedelta(minutes=post_mortem.duration_minutes)
