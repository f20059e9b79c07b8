"""Who hears about a feature request: a new one goes to the Care queue; a status change, staff
comment or merge to the submitting reseller's Designated Contacts (for a merge, the duplicate's
reseller, who learns where it went). Queued in the service's transaction, one outbox row per
recipient."""

from __future__ import annotations

from cases.requests.common import request_notify
from cases.requests.features.models import FeatureEvent, FeatureRequest
from portal.tenancy.recipients import care_queue, designated_contacts

TEMPLATES = "cases/requests/features/emails/"


def feature_submitted_notify(*, feature: FeatureRequest) -> None:
    request_notify(
        kind="feature_to_care", template=f"{TEMPLATES}feature_to_care", request=feature,
        recipients=care_queue(),
    )


def feature_updated_notify(*, feature: FeatureRequest, event: FeatureEvent) -> None:
    """A status change or comment, or (event kind "merged") the merge of this duplicate."""
    request_notify(
        kind="feature_updated", template=f"{TEMPLATES}feature_updated", request=feature,
        event=event, recipients=designated_contacts(feature.reseller_id),
    )
