"""The case timeline's wording and fields for post-mortems and incident reports."""

from __future__ import annotations

from datetime import UTC, datetime

from cases.models import Case, CaseEvent, PostMortem
from portal.models import User


def service_resolution_event(*, case: Case, actor: User, at: datetime) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.SERVICE_RESOLUTION, actor=actor,
        new_value=at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def postmortem_event(
    *, post_mortem: PostMortem, actor: User | None, new_value: str, detail: str = "",
    kind: str = CaseEvent.Kind.POSTMORTEM, due_at: datetime | None = None,
) -> CaseEvent:
    """A post-mortem or incident-report step, with the due time it leaves the case with."""
    return CaseEvent.objects.create(
        case=post_mortem.case, kind=kind, actor=actor, new_value=new_value[:200], detail=detail,
        due_at=due_at if due_at is not None else post_mortem.due_at,
    )
