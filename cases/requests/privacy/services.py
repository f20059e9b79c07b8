"""Writes for data privacy requests: a Designated Contact sends one, the Data privacy team moves it
on. One transaction each, history kept; the Data privacy team is emailed of a new request, the
reseller of a new status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.requests.common import own_account_errors
from cases.requests.privacy.emails import (
    privacy_request_received_notify,
    privacy_request_updated_notify,
)
from cases.requests.privacy.models import DataPrivacyRequest, DataPrivacyRequestEvent
from portal.access import is_data_privacy_staff, require_designated_contact
from portal.models import User


@transaction.atomic
def privacy_request_create(*, contact: User, details: Mapping[str, Any]) -> DataPrivacyRequest:
    membership = require_designated_contact(contact)
    errors = own_account_errors(membership.reseller_id, details)
    if details.get("request_type") not in DataPrivacyRequest.Type.values:
        errors["request_type"] = [_("Choose the kind of request.")]
    for field in ("subject_identifier", "details"):
        if not str(details.get(field) or "").strip():
            errors[field] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    privacy_request = DataPrivacyRequest(
        reseller_id=membership.reseller_id,
        account=details["account"],
        requested_by=contact,
        request_type=details["request_type"],
        subject_identifier=details["subject_identifier"].strip(),
        details=details["details"].strip(),
    )
    privacy_request.full_clean()
    privacy_request.save()
    DataPrivacyRequestEvent.objects.create(
        privacy_request=privacy_request, actor=contact, new_status=privacy_request.status
    )
    privacy_request_received_notify(privacy_request=privacy_request)
    return privacy_request


@transaction.atomic
def privacy_request_update(
    *, privacy_request: DataPrivacyRequest, actor: User, status: str, response: str = ""
) -> DataPrivacyRequest:
    """The Data privacy team moves a request on; the reseller sees its status and the response."""
    if not is_data_privacy_staff(actor):
        raise PermissionDenied("Only the Data privacy team handles data privacy requests.")
    if status not in DataPrivacyRequest.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    privacy_request = DataPrivacyRequest.objects.select_for_update().get(pk=privacy_request.pk)
    old_status, response = privacy_request.status, response.strip()
    if (status, response) == (old_status, privacy_request.response):
        return privacy_request
    privacy_request.status = status
    privacy_request.response = response
    privacy_request.handled_by = actor
    privacy_request.save(update_fields=["status", "response", "handled_by", "updated_at"])
    DataPrivacyRequestEvent.objects.create(
        privacy_request=privacy_request,
        actor=actor,
        old_status=old_status,
        new_status=status,
        note=response,
    )
    if status != old_status:
        privacy_request_updated_notify(privacy_request=privacy_request)
    return privacy_request
