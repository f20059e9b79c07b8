"""Writes for consent to remote access: Care asks on an open case, a Designated Contact of the
case's reseller approves or refuses, for that case only. History goes on the case."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cases.models import Case, CaseEvent
from cases.requests.remote_access.emails import (
    remote_access_decided_notify,
    remote_access_requested_notify,
)
from cases.requests.remote_access.models import RemoteAccessRequest
from portal.access import is_care_staff, require_designated_contact
from portal.models import User


@transaction.atomic
def remote_access_request_create(*, case: Case, actor: User, reason: str) -> RemoteAccessRequest:
    """Care asks the reseller for remote access to the end user's environment for this case only."""
    if not is_care_staff(actor):
        raise PermissionDenied("Only Customer Care staff may ask for remote access.")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why remote access is needed.")})
    case = Case.objects.select_for_update(no_key=True).get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("Remote access can only be asked for on an open case."))
    if case.remote_access_requests.filter(status=RemoteAccessRequest.Status.PENDING).exists():
        raise ValidationError(
            _("The reseller has not yet answered the previous remote access request.")
        )
    access_request = RemoteAccessRequest.objects.create(
        case=case, requested_by=actor, reason=reason.strip()
    )
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.REMOTE_ACCESS, actor=actor,
        new_value=str(_lazy("Requested")), detail=access_request.reason,
    )
    remote_access_requested_notify(access_request=access_request)
    return access_request


@transaction.atomic
def remote_access_request_decide(
    *, access_request: RemoteAccessRequest, contact: User, approve: bool
) -> RemoteAccessRequest:
    """A Designated Contact of the case's reseller approves or refuses, for that case only."""
    membership = require_designated_contact(contact)
    access_request = (
        RemoteAccessRequest.objects.select_for_update().select_related("case")
        .get(pk=access_request.pk)
    )
    if membership.reseller_id != access_request.case.reseller_id:
        raise PermissionDenied("Another reseller's case.")
    if access_request.status != RemoteAccessRequest.Status.PENDING:
        raise ValidationError(_("This remote access request has already been answered."))
    old = access_request.get_status_display()
    access_request.status = (
        RemoteAccessRequest.Status.APPROVED if approve else RemoteAccessRequest.Status.REFUSED
    )
    access_request.decided_by = contact
    access_request.decided_at = timezone.now()
    access_request.save(update_fields=["status", "decided_by", "decided_at"])
    CaseEvent.objects.create(
        case=access_request.case, kind=CaseEvent.Kind.REMOTE_ACCESS, actor=contact,
        old_value=str(old)[:200], new_value=str(access_request.get_status_display()),
    )
    remote_access_decided_notify(access_request=access_request)
    return access_request
