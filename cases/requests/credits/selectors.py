from __future__ import annotations

from typing import Any

from cases.models import UptimeCreditRequest
from portal.access import one_or_404


def credit_request_for(user: Any, pk: int) -> UptimeCreditRequest:
    return one_or_404(UptimeCreditRequest.objects.visible_to(user), "uptime credit request", pk=pk)
