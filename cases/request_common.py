"""Shared by the MAC/D, feature and uptime credit services: who may act, and the history row."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from portal.access import is_care_staff, require_designated_contact
from portal.models import CloudService, EndUserAccount, Membership, User


def require_staff(actor: User) -> None:
    if not is_care_staff(actor):
        raise PermissionDenied("Only Customer Care staff may do this.")


def require_contact_for_account(contact: User, account: EndUserAccount, service: CloudService) -> Membership:
    """The contact must be a Designated Contact of the account's reseller; the service one of the account's."""
    membership = require_designated_contact(contact)
    if account.reseller_id != membership.reseller_id:
        raise PermissionDenied("Another reseller's account.")
    if not account.services.filter(pk=service.pk).exists():
        raise ValidationError({"service": _("This service is not one of the account's cloud services.")})
    return membership


def record_status_change(request: models.Model, event_model: type[models.Model], *, actor: User, status: str,
                         comment: str, status_choices: type[models.TextChoices]) -> models.Model | None:
    """Sets the status and writes one history row (status change and/or comment); None if nothing changed."""
    old = request.status  # type: ignore[attr-defined]
    comment = comment.strip()
    if status not in status_choices.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if status == old and not comment:
        return None
    event = event_model(request=request, actor=actor, body=comment)  # type: ignore[misc]
    if status != old:
        event.kind = "status"  # type: ignore[attr-defined]
        event.old_value = str(status_choices(old).label)  # type: ignore[attr-defined]
        event.new_value = str(status_choices(status).label)  # type: ignore[attr-defined]
        request.status = status  # type: ignore[attr-defined]
        request.save(update_fields=["status", "updated_at"])
    else:
        event.kind = "comment"  # type: ignore[attr-defined]
        request.save(update_fields=["updated_at"])
    event.save()
    return event
