"""Writes for admin cases (access and logins, licensing, account administration): ordinary cases
with kind "admin", a short form, and a response within 2 business days.

Validated here, then opened by the intake path (cases.intake.services._case_open), so an admin case
is numbered, timed, recorded and announced exactly like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cases.intake.services import _case_open
from cases.models import Case, CaseKind, Frequency, Severity
from cases.requests.common import own_account_errors
from portal.access import require_designated_contact
from portal.models import User

ADMIN_TOPICS = [
    ("access", _lazy("Access and logins")),
    ("licensing", _lazy("Licensing")),
    ("account", _lazy("Account administration")),
]
# Section 4.2 fields an admin case does not ask for; the service fills them, so validation skips
# them.
ADMIN_CASE_BLANK_FIELDS = (
    "impacted_location", "impacted_working_hours", "business_impact", "steps_to_reproduce",
    "local_contact_phone",
)


@transaction.atomic
def admin_case_create(*, contact: User, details: Mapping[str, Any]) -> Case:
    """An admin case (access, licensing, account administration): response in 2 business days."""
    membership = require_designated_contact(contact)
    errors = own_account_errors(membership.reseller_id, details)
    account = details.get("account")
    service = details.get("service")
    if not errors and (service is None or account is None or not account.services.filter(pk=service.pk).exists()):
        errors["service"] = [_("This account does not subscribe to that service.")]
    topics = dict(ADMIN_TOPICS)
    if details.get("topic") not in topics:
        errors["topic"] = [_("Choose what the request is about.")]
    for field in ("subject", "description"):
        if not str(details.get(field) or "").strip():
            errors[field] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    assert account is not None  # own_account_errors refused a missing account
    now = timezone.now()
    fields = {
        "kind": CaseKind.ADMIN, "reseller_id": account.reseller_id, "account": account,
        "service": service, "subject": details["subject"].strip(), "priority": Severity.LOW,
        "severity": Severity.LOW, "users_affected": 0, "frequency": Frequency.ONCE,
        "first_observed_at": now, "impacted_time_zone": account.time_zone, "impacted_location": "",
        "impacted_working_hours": "", "business_impact": "",
        "what_went_wrong": details["description"].strip(), "steps_to_reproduce": "",
        "local_contact_name": (contact.get_full_name() or contact.get_username())[:200],
        "local_contact_phone": membership.phone_24x7, "local_contact_email": contact.email,
    }
    # The intake path numbers it, starts the admin-cases milestones (sla.clocks picks the policy
    # for this kind), records its creation with the topic and emails the reseller.
    return _case_open(
        contact=contact, fields=fields, unchecked=ADMIN_CASE_BLANK_FIELDS,
        created_detail=str(topics[details["topic"]]),
    )
