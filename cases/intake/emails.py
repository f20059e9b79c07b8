"""Who hears about what on a case. Each function is called by a service inside its transaction and
queues one outbox row per reader (portal.notify), so a rolled-back write sends nothing."""

from __future__ import annotations

from django.conf import settings

from cases.models import Case, CaseEvent, Reply, Status
from portal.models import User
from portal.notify.services import notification_queue
from portal.tenancy import recipients

# Templates live in templates/cases/intake/emails/.
TEMPLATES = "cases/intake/emails/"
# The statuses the reseller hears about: the service is back, and the case is solved.
STATUS_TEMPLATES = {Status.RESTORED: "case_restored", Status.RESOLVED: "case_resolved"}


def _context(case: Case, **extra: object) -> dict[str, object]:
    return {"case": case, "care_phone": settings.CARE_PHONE, **extra}


def case_received_notify(*, case: Case) -> None:
    """A new case: the reseller's Designated Contacts get the receipt, the care queue the work."""
    notification_queue(
        kind="case_received", template=TEMPLATES + "case_received",
        recipients=recipients.designated_contacts(case.reseller_id), context=_context(case),
        about=case, dedupe_key=f"case-received:{case.pk}",
    )
    notification_queue(
        kind="case_new_for_care", template=TEMPLATES + "case_new_for_care",
        recipients=recipients.care_queue(), context=_context(case), about=case,
        dedupe_key=f"case-new-for-care:{case.pk}",
    )


def case_reply_notify(*, case: Case, reply: Reply) -> None:
    """Care's public reply goes to the reseller; the reseller's to the engineer (or the queue)."""
    if reply.visibility != Reply.Visibility.PUBLIC:
        return  # internal notes never leave Customer Care
    to: list[User | str]
    if reply.from_staff:
        kind, to = "case_staff_reply", [*recipients.designated_contacts(case.reseller_id)]
    else:
        kind, to = "case_contact_reply", recipients.care_recipients(case.assignee)
    notification_queue(
        kind=kind, template=TEMPLATES + kind, recipients=to, context=_context(case, reply=reply),
        about=case, dedupe_key=f"case-reply:{reply.pk}",
    )


def case_status_notify(*, case: Case, event: CaseEvent, new: str) -> None:
    """Service restored, resolved: the reseller's Designated Contacts are told; other moves are Care's."""
    template = STATUS_TEMPLATES.get(Status(new))
    if template is None:
        return
    notification_queue(
        kind=template, template=TEMPLATES + template,
        recipients=recipients.designated_contacts(case.reseller_id),
        context=_context(case, event=event), about=case, dedupe_key=f"case-status:{event.pk}",
    )
