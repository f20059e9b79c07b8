"""The portal app's models, defined in its topic packages and collected here for Django."""

from __future__ import annotations

from portal.audit.models import AuditEvent, AuditKind
from portal.health.models import Heartbeat
from portal.history.models import ChangeRecord
from portal.notify.models import Notification
from portal.tenancy.models import (
    MIN_DESIGNATED_CONTACTS,
    CloudService,
    DesignationEvent,
    EndUserAccount,
    Membership,
    MembershipQuerySet,
    Reseller,
    ResellerQuerySet,
    SupportPackage,
    User,
    validate_time_zone,
)
from portal.tenancy.sessions import UserSession

__all__ = [
    "AuditEvent", "AuditKind",
    "MIN_DESIGNATED_CONTACTS", "ChangeRecord", "CloudService", "DesignationEvent", "EndUserAccount", "Heartbeat",
    "Membership", "MembershipQuerySet", "Notification", "Reseller", "ResellerQuerySet", "SupportPackage", "User",
    "UserSession",
    "validate_time_zone",
]
