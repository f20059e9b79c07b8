"""Case models, split by subdomain: the case itself, escalation, and what follows an outage."""

from __future__ import annotations

from cases.escalation.models import SeverityCall, SeverityRequest
from cases.followups.models import IncidentReport, PostMortem
from cases.intake.models import (
    OPEN_STATUSES,
    Attachment,
    Case,
    CaseEvent,
    CaseKind,
    CaseQuerySet,
    Frequency,
    PrivateStorage,
    Reply,
    ReplyQuerySet,
    Severity,
    StagedUpload,
    Status,
    private_storage,
)
from cases.models.requests import DataPrivacyRequest, DataPrivacyRequestEvent, RemoteAccessRequest
from cases.models.requests_b import (  # MAC/D, feature requests, uptime credits
    CreditEvent,
    FeatureEvent,
    FeatureRequest,
    FeatureVote,
    MacdEvent,
    MacdLine,
    MacdRequest,
    MacdRoute,
    UptimeCreditRequest,
)

__all__ = [
    "OPEN_STATUSES", "Attachment", "Case", "CaseEvent", "CaseKind", "CaseQuerySet", "CreditEvent",
    "DataPrivacyRequest", "DataPrivacyRequestEvent", "FeatureEvent", "FeatureRequest", "FeatureVote",
    "Frequency", "IncidentReport", "MacdEvent", "MacdLine", "MacdRequest", "MacdRoute", "PostMortem",
    "PrivateStorage", "RemoteAccessRequest", "Reply", "ReplyQuerySet", "Severity", "SeverityCall",
    "SeverityRequest", "StagedUpload", "Status", "UptimeCreditRequest", "private_storage",
]
