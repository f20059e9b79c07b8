"""The username django-axes counts attempts under, cut to the longest a real username can be.

Axes stores what was typed in a 255-character column: a longer value (anyone can post one) would
make PostgreSQL refuse the row and the sign-in page answer 500. No account has a longer name, so
cutting it loses nothing, and the lockout still counts such attempts per IP.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest


def login_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    field = get_user_model().USERNAME_FIELD
    value = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    if value is None:
        return None
    # get_field may answer a relation (no max_length) as far as the type checker knows.
    limit = getattr(get_user_model()._meta.get_field(field), "max_length", None) or 150
    return str(value)[:limit]
