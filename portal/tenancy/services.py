"""Writes on people: a reseller nominates Designated Contacts, vendor staff grant or revoke.

Each change writes its DesignationEvent and queues its emails (portal.tenancy.emails) in one
transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.access import may_decide_designation, require_care_staff, require_designated_contact
from portal.history.services import changes_record
from portal.models import DesignationEvent, Membership, User
from portal.tenancy import emails
from portal.tenancy.users import user_access_end


@transaction.atomic
def contact_nominate(*, nominator: User, membership: Membership, phone_24x7: str, note: str = "") -> Membership:
    own = require_designated_contact(nominator)
    if membership.reseller_id != own.reseller_id:
        raise PermissionDenied("A contact can only nominate colleagues of the same reseller.")
    if membership.designation in (Membership.Designation.APPROVED, Membership.Designation.NOMINATED):
        raise ValidationError(_("%(user)s is already nominated or designated.") % {"user": membership.user})
    if not phone_24x7.strip():
        raise ValidationError({"phone_24x7": _("A Designated Contact must have a phone reachable at all times.")})
    membership.designation = Membership.Designation.NOMINATED
    membership.phone_24x7 = phone_24x7.strip()
    membership.save(update_fields=["designation", "phone_24x7"])
    event = DesignationEvent.objects.create(
        membership=membership, action=DesignationEvent.Action.NOMINATED, actor=nominator, note=note
    )
    emails.contact_nominated_notify(membership=membership, event=event)
    return membership


def _require_decider(staff: User) -> None:
    if not may_decide_designation(staff):
        raise PermissionDenied("Only a Care lead may approve, decline or revoke Designated Contacts.")


def _decide(
    staff: User, membership: Membership, designation: str, action: str, note: str
) -> Membership:
    _require_decider(staff)
    membership.designation = designation
    membership.save(update_fields=["designation"])
    event = DesignationEvent.objects.create(membership=membership, action=action, actor=staff, note=note)
    emails.contact_decided_notify(membership=membership, event=event)
    return membership


@transaction.atomic
def contact_approve(*, staff: User, membership: Membership, note: str = "") -> Membership:
    _require_decider(staff)
    if not membership.phone_24x7:
        raise ValidationError(_("%(user)s has no phone reachable at all times.") % {"user": membership.user})
    return _decide(staff, membership, Membership.Designation.APPROVED, DesignationEvent.Action.APPROVED, note)


@transaction.atomic
def contact_decline(*, staff: User, membership: Membership, note: str = "") -> Membership:
    return _decide(staff, membership, Membership.Designation.NONE, DesignationEvent.Action.DECLINED, note)


@transaction.atomic
def contact_revoke(*, staff: User, membership: Membership, note: str = "") -> Membership:
    """The contact's sessions and the feed tokens they made end with the designation."""
    revoked = _decide(staff, membership, Membership.Designation.REVOKED, DesignationEvent.Action.REVOKED, note)
    user_access_end(user=membership.user)
    return revoked


# --- a contact's 24x7 phone, changed by Care staff in admin and recorded -------------------------


PHONE_MAX_LENGTH = 40


def contact_phone_validate(*, membership: Membership, phone_24x7: str) -> str:
    """The phone as it will be stored; a nominated or Designated Contact cannot be left without one."""
    phone = phone_24x7.strip()
    if not phone and membership.designation in (Membership.Designation.APPROVED, Membership.Designation.NOMINATED):
        raise ValidationError({"phone_24x7": _("A Designated Contact must have a phone reachable at all times.")})
    if len(phone) > PHONE_MAX_LENGTH:
        raise ValidationError({"phone_24x7": _("At most %(max)s characters.") % {"max": PHONE_MAX_LENGTH}})
    return phone


@transaction.atomic
def contact_phone_update(*, membership: Membership, actor: User, phone_24x7: str) -> Membership:
    """The number Care calls for a Critical case at any hour."""
    require_care_staff(actor)
    stored = Membership.objects.select_for_update(no_key=True).get(pk=membership.pk)
    phone = contact_phone_validate(membership=stored, phone_24x7=phone_24x7)
    if phone != stored.phone_24x7:
        before = {"phone_24x7": stored.phone_24x7}
        stored.phone_24x7 = phone
        stored.save(update_fields=["phone_24x7"])
        changes_record(obj=stored, actor=actor, before=before, after={"phone_24x7": phone})
    return stored
