from __future__ import annotations

from typing import Any

from cases.models import MacdRequest
from portal.access import one_or_404


def macd_request_for(user: Any, pk: int) -> MacdRequest:
    return one_or_404(MacdRequest.objects.visible_to(user), "MAC/D request", pk=pk)
