"""The case timeline's wording and fields for intake, one writer per event (saleor's events.py).

Services call these inside their transactions; nothing else writes intake's CaseEvent rows.
"""

from __future__ import annotations

from cases.models import Attachment, Case, CaseEvent, Reply, Severity, Status
from portal.models import User


def case_created_event(*, case: Case, actor: User, detail: str = "") -> CaseEvent:
    label = case.get_severity_display() if not detail else case.get_kind_display()
    return CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.CREATED, actor=actor, new_value=str(label), detail=detail
    )


def attachment_added_event(*, case: Case, actor: User, attachment: Attachment) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.ATTACHMENT, actor=actor, attachment=attachment,
        new_value=attachment.original_name[:200],
    )


def reply_added_event(*, case: Case, author: User, reply: Reply) -> CaseEvent:
    internal = reply.visibility == Reply.Visibility.INTERNAL
    return CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.NOTE if internal else CaseEvent.Kind.REPLY, actor=author,
        reply=reply, internal=internal,
    )


def status_changed_event(*, case: Case, actor: User, old: str, new: str) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.STATUS, actor=actor,
        old_value=str(Status(old).label), new_value=str(Status(new).label),
    )


def severity_changed_event(*, case: Case, actor: User, old: int, new: int, reason: str) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.SEVERITY, actor=actor, detail=reason,
        old_value=str(Severity(old).label), new_value=str(Severity(new).label),
    )


def assignment_changed_event(*, case: Case, actor: User, old: User | None, new: User | None) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.ASSIGNED, actor=actor, internal=False,
        old_value=str(old or ""), new_value=str(new or ""),
    )
