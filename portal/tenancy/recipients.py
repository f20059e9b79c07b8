"""Who hears about what: the people a notification goes to, as Users where there is one, so the
outbox can write to each in their own language and time zone (portal.notify)."""

from __future__ import annotations

from django.conf import settings

from portal.models import Membership, User


def designated_contacts(reseller_id: int) -> list[User]:
    """The reseller's approved, active Designated Contacts with an email address."""
    memberships = Membership.objects.designated().filter(reseller_id=reseller_id).select_related("user")
    return [membership.user for membership in memberships.order_by("user__username") if membership.user.email]


def care_recipients(assignee: User | None) -> list[User | str]:
    """The assigned engineer, else the care queue's address."""
    if assignee is not None and assignee.email:
        return [assignee]
    return [settings.CARE_QUEUE_EMAIL]


def care_queue() -> list[User | str]:
    return [settings.CARE_QUEUE_EMAIL]


def group_members(group_name: str) -> list[User]:
    """Active staff in a group (for example the Data privacy team), with an email address."""
    users = User.objects.filter(groups__name=group_name, is_active=True, is_staff=True).exclude(email="")
    return list(users.order_by("username"))
