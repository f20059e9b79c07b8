"""Case models, split by subdomain: the case itself, escalation, and what follows an outage."""

from __future__ import annotations

from cases.escalation.models import SeverityCall, SeverityRequest
from cases.followups.models import IncidentReport, PostMortem
from cases.intake.models import (
    OPEN_STATUSES,
    QUEUE_ORDER,
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
from cases.requests.credits.models import CreditEvent, UptimeCreditRequest
from cases.requests.features.models import FeatureEvent, FeatureRequest, FeatureVote
from cases.requests.macd.models import MacdEvent, MacdLine, MacdRequest, MacdRoute
from cases.requests.privacy.models import DataPrivacyRequest, DataPrivacyRequestEvent
from cases.requests.remote_access.models import RemoteAccessRequest

__all__ = [
    "OPEN_STATUSES", "QUEUE_ORDER", "Attachment", "Case", "CaseEvent", "CaseKind", "CaseQuerySet", "CreditEvent",
    "DataPrivacyRequest", "DataPrivacyRequestEvent", "FeatureEvent", "FeatureRequest", "FeatureVote",
    "Frequency", "IncidentReport", "MacdEvent", "MacdLine", "MacdRequest", "MacdRoute", "PostMortem",
    "PrivateStorage", "RemoteAccessRequest", "Reply", "ReplyQuerySet", "Severity", "SeverityCall",
    "SeverityRequest", "StagedUpload", "Status", "UptimeCreditRequest", "private_storage",
]
