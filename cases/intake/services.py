"""Writes on cases. Each validates, saves and records history in one transaction, and queues the
emails it owes in that same transaction (cases.intake.emails, through the outbox), so a write that
rolls back sends nothing and a saved one is never left without its emails."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cases.intake import emails, events
from cases.intake.clocks import clocks_follow_status
from cases.intake.quota import require_room_for
from cases.intake.staging import upload_stage as upload_stage  # its home is staging; kept here for callers
from cases.models import Attachment, Case, Reply, Severity, StagedUpload, Status
from portal.access import is_care_staff, require_care_staff, require_designated_contact
from portal.models import Reseller, User
from portal.service_errors import AlreadyDone
from sla.clocks import services as milestones
from sla.models import MilestoneKind

CASE_NUMBER_OFFSET = 100000
# The same text from the same author this soon after is the same send (a double click), not a new one:
# a reply, or a case with the same account, subject and description.
REPEAT_WINDOW = timedelta(minutes=2)

CONFIRMATION_FIELDS = (
    "confirmed_screening",
    "confirmed_reproduced",
    "confirmed_help_consulted",
    "confirmed_guides_consulted",
    "confirmed_advisories_checked",
    "confirmed_not_third_party",
)
INTAKE_FIELDS = (
    "account", "service", "subject", "priority", "users_affected", "frequency", "first_observed_at",
    "impacted_time_zone", "impacted_location", "impacted_working_hours", "business_impact",
    "what_went_wrong", "steps_to_reproduce", "non_genesys_changes", "dns", "user_information",
    "ani_cli", "equipment", "circuits", "campaign_name", "report_name", "local_contact_name",
    "local_contact_phone", "local_contact_email", *CONFIRMATION_FIELDS,
)


CRITICAL_AT_INTAKE_MESSAGE = _lazy(
    "Critical cannot be chosen here: submit as High, then call Customer Care to raise it."
)


def case_number_for(pk: int) -> str:
    return f"CS-{CASE_NUMBER_OFFSET + pk}"


def _validate_intake(contact: User, details: Mapping[str, Any], now: datetime) -> None:
    membership = require_designated_contact(contact)
    errors: dict[str, list[str]] = {}
    account = details.get("account")
    service = details.get("service")
    if account is None or account.reseller_id != membership.reseller_id:
        errors.setdefault("account", []).append(_("Choose one of your reseller's end-user accounts."))
    elif service is None or not account.services.filter(pk=service.pk).exists():
        errors.setdefault("service", []).append(_("This account does not subscribe to that service."))
    if details.get("priority") == Severity.CRITICAL:
        errors.setdefault("priority", []).append(str(CRITICAL_AT_INTAKE_MESSAGE))
    first_observed = details.get("first_observed_at")
    if first_observed is not None and first_observed > now:
        errors.setdefault("first_observed_at", []).append(_("This date and time is in the future."))
    users = details.get("users_affected")
    if users is not None and users < 1:
        errors.setdefault("users_affected", []).append(_("At least one user must be affected."))
    for field in CONFIRMATION_FIELDS:
        if not details.get(field):
            errors.setdefault(field, []).append(_("Confirm this first-level support step."))
    if errors:
        raise ValidationError(errors)


def _attach_staged(
    *, case: Case, actor: User, staged: Sequence[StagedUpload], logs_sanitized: bool
) -> list[Attachment]:
    if staged and not logs_sanitized:
        raise ValidationError(
            {"logs_sanitized": _("Confirm the attached logs are free of the end user's customer data.")}
        )
    if not staged:
        return []
    if any(item.owner_id != actor.pk for item in staged):
        raise PermissionDenied("Staged upload belongs to someone else.")
    # Locked: the clean-up may be deleting an old staged row right now (staging._delete_with_files),
    # and two uploads for one reseller must not both take its last room. NO KEY UPDATE: the case
    # just inserted holds a KEY SHARE lock on the reseller row, and so may another request's; a
    # plain FOR UPDATE would wait on that one while it waits on ours (PostgreSQL's deadlock).
    Reseller.objects.select_for_update(no_key=True).filter(pk=case.reseller_id).first()
    rows = list(StagedUpload.objects.select_for_update().filter(pk__in=[item.pk for item in staged], owner=actor))
    missing = {item.pk for item in staged} - {row.pk for row in rows}
    if missing:
        names = ", ".join(item.original_name for item in staged if item.pk in missing)
        raise ValidationError(_("%(names)s waited too long and was deleted: choose the file again.") % {"names": names})
    require_room_for(reseller=case.reseller, more=sum(row.size for row in rows))
    created = []
    locked = {row.pk: row for row in rows}
    for item in (locked[item.pk] for item in staged):
        attachment = Attachment.objects.create(
            case=case, uploaded_by=actor, file=item.file.name, original_name=item.original_name,
            size=item.size, sanitized_confirmed=logs_sanitized, scan_findings=item.scan_findings,
        )
        events.attachment_added_event(case=case, actor=actor, attachment=attachment)
        created.append(attachment)
        item.delete()  # the file itself now belongs to the attachment
    return created


def _case_open(
    *,
    contact: User,
    fields: Mapping[str, Any],
    staged: Sequence[StagedUpload] = (),
    logs_sanitized: bool = False,
    unchecked: Sequence[str] = (),
    created_detail: str = "",
) -> Case:
    """The one path by which a case comes to exist, for callers that have already checked the
    contact and the details (case_create, cases.requests.admin_cases): numbers the case, starts its
    milestones, records the created event, attaches the staged files and queues the received
    emails. `unchecked` names fields the caller fills itself, which model validation skips."""
    case = Case(**fields)
    case.opened_by = contact
    case.status = Status.NEW
    case.full_clean(exclude=["number", *unchecked])
    case.save()
    case.number = case_number_for(case.pk)
    case.save(update_fields=["number"])
    milestones.milestones_start(case=case)
    events.case_created_event(case=case, actor=contact, detail=created_detail)
    _attach_staged(case=case, actor=contact, staged=staged, logs_sanitized=logs_sanitized)
    emails.case_received_notify(case=case)
    return case


@transaction.atomic
def case_create(
    *,
    contact: User,
    details: Mapping[str, Any],
    staged: Sequence[StagedUpload] = (),
    logs_sanitized: bool = False,
    refuse_repeats: bool = False,
) -> Case:
    """Opens a case. refuse_repeats (the portal form): the same case sent again within REPEAT_WINDOW
    is AlreadyDone, not a second case; imports and tests may open identical cases on purpose."""
    _validate_intake(contact, details, timezone.now())
    fields = {field: details[field] for field in INTAKE_FIELDS if field in details}
    fields["reseller_id"] = details["account"].reseller_id
    # Care re-determines severity; it starts as the contact's priority.
    fields["severity"] = fields.get("priority")
    if refuse_repeats:
        _refuse_repeated_case(contact, details["account"], fields)
    return _case_open(contact=contact, fields=fields, staged=staged, logs_sanitized=logs_sanitized)


def _refuse_repeated_case(contact: User, account: Any, fields: Mapping[str, Any]) -> None:
    # The contact's row lock orders two sends of one form; the second finds the first's case.
    # NO KEY UPDATE (as for every ordering lock here): other requests' rows that name this user
    # (their notifications, events) take KEY SHARE on it at commit; FOR UPDATE deadlocked with them.
    User.objects.select_for_update(no_key=True).filter(pk=contact.pk).exists()
    repeated = Case.objects.filter(
        opened_by=contact, account=account, subject=fields.get("subject", ""),
        what_went_wrong=fields.get("what_went_wrong", ""), created_at__gte=timezone.now() - REPEAT_WINDOW,
    ).first()
    if repeated is not None:
        raise AlreadyDone(_("This case was already submitted as %(number)s.") % {"number": repeated.number},
                          existing=repeated)


@transaction.atomic
def case_add_attachments(
    *, case: Case, actor: User, staged: Sequence[StagedUpload], logs_sanitized: bool
) -> list[Attachment]:
    if not is_care_staff(actor):
        require_designated_contact(actor)
    return _attach_staged(case=case, actor=actor, staged=staged, logs_sanitized=logs_sanitized)


@transaction.atomic
def case_reply(*, case: Case, author: User, body: str, internal: bool = False) -> Reply:
    staff = is_care_staff(author)
    if not staff:
        require_designated_contact(author)
        if internal:
            raise PermissionDenied("Only Customer Care writes internal notes.")
    if not body.strip():
        raise ValidationError({"body": _("Write a message before sending.")})
    # The case row's lock orders two sends of one form, so the second sees the first's reply.
    Case.objects.select_for_update(no_key=True).filter(pk=case.pk).exists()
    if Reply.objects.filter(
        case=case, author=author, body=body.strip(), created_at__gte=timezone.now() - REPEAT_WINDOW,
    ).exists():
        raise AlreadyDone(_("This message was already sent."))
    reply = Reply.objects.create(
        case=case, author=author, body=body.strip(), from_staff=staff,
        visibility=Reply.Visibility.INTERNAL if internal else Reply.Visibility.PUBLIC,
    )
    events.reply_added_event(case=case, author=author, reply=reply)
    if internal:
        return reply
    if staff:
        # The first human reply from Care is the Support Guide's "response".
        milestones.milestone_achieve(case=case, kind=MilestoneKind.RESPONSE, at=reply.created_at)
    elif case.status == Status.AWAITING_RESELLER:
        _set_status(case, author, Status.IN_PROGRESS)
    emails.case_reply_notify(case=case, reply=reply)
    return reply


def _set_status(case: Case, actor: User, status: str) -> None:
    old = case.status
    case.status = status
    case.save(update_fields=["status", "updated_at"])
    clocks_follow_status(case=case, old=old, new=status, at=timezone.now())
    event = events.status_changed_event(case=case, actor=actor, old=old, new=status)
    emails.case_status_notify(case=case, event=event, new=status)


@transaction.atomic
def case_change_status(*, case: Case, actor: User, status: str) -> Case:
    require_care_staff(actor)
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status != case.status:
        _set_status(case, actor, status)
    return case


@transaction.atomic
def case_assign(*, case: Case, actor: User, assignee: User | None) -> Case:
    require_care_staff(actor)
    if assignee is not None and not is_care_staff(assignee):
        raise ValidationError({"assignee": _("Cases can only be assigned to Customer Care staff.")})
    if assignee != case.assignee:
        old = case.assignee
        case.assignee = assignee
        case.save(update_fields=["assignee", "updated_at"])
        events.assignment_changed_event(case=case, actor=actor, old=old, new=assignee)
    return case
