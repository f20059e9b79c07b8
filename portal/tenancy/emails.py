"""Who hears about a Designated Contact's nomination and Care's decision on it.

Each function is called by a tenancy service inside the transaction that writes the
DesignationEvent, and queues one outbox row per reader (portal.notify) keyed by that event, so a
rolled-back change sends nothing and the same event is never announced twice.
"""

from __future__ import annotations

from portal.models import DesignationEvent, Membership, User
from portal.notify.services import notification_queue
from portal.tenancy import recipients

# Templates live in templates/portal/tenancy/emails/.
TEMPLATES = "portal/tenancy/emails/"
DECISION_TEMPLATES = {
    DesignationEvent.Action.APPROVED: "contact_approved",
    DesignationEvent.Action.DECLINED: "contact_declined",
    DesignationEvent.Action.REVOKED: "contact_revoked",
}


def _people(membership: Membership) -> list[User]:
    # The person concerned first: after a decline or revocation they are no longer a Designated
    # Contact, yet they are the one who most needs to know.
    return [membership.user, *recipients.designated_contacts(membership.reseller_id)]


def _context(membership: Membership, event: DesignationEvent) -> dict[str, object]:
    return {"membership": membership, "nominee": membership.user, "reseller": membership.reseller, "event": event}


def contact_nominated_notify(*, membership: Membership, event: DesignationEvent) -> None:
    """The nominee and the reseller's Designated Contacts; the care queue, who approve nominations."""
    context = _context(membership, event)
    notification_queue(
        kind="contact_nominated", template=TEMPLATES + "contact_nominated", recipients=_people(membership),
        context=context, about=membership, dedupe_key=f"designation:{event.pk}",
    )
    notification_queue(
        kind="contact_nomination_for_care", template=TEMPLATES + "contact_nomination_for_care",
        recipients=recipients.care_queue(), context=context, about=membership,
        dedupe_key=f"designation-care:{event.pk}",
    )


def contact_decided_notify(*, membership: Membership, event: DesignationEvent) -> None:
    """Approved, declined or revoked: the person concerned and the reseller's Designated Contacts."""
    template = DECISION_TEMPLATES[DesignationEvent.Action(event.action)]
    notification_queue(
        kind=template, template=TEMPLATES + template, recipients=_people(membership),
        context=_context(membership, event), about=membership, dedupe_key=f"designation:{event.pk}",
    )
