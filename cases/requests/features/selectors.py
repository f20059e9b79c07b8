from __future__ import annotations

from typing import Any

from cases.models import FeatureRequest
from portal.access import one_or_404


def feature_for(user: Any, pk: int) -> FeatureRequest:
    return one_or_404(FeatureRequest.objects.visible_to(user), "feature request", pk=pk)
