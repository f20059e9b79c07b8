from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from portal.access import membership_of


def portal_context(request: HttpRequest) -> dict[str, Any]:
    membership = membership_of(request.user) if hasattr(request, "user") else None
    return {
        "membership": membership,
        "care_phone": settings.CARE_PHONE,
    }
