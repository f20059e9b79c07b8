"""Staff session ages: an absolute limit from sign-in and an idle limit between requests.

Kept as epoch seconds in the session itself, so the rule is plain arithmetic a test can drive by
writing the timestamps (no sleeping, no clock mocking)."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from django.conf import settings

STARTED_KEY = "staff_session_started"
SEEN_KEY = "staff_session_seen"
# Saving the session on every request would cost a write each time; a minute is fine-grained
# enough for a 30-minute idle limit.
TOUCH_EVERY_SECONDS = 60


def staff_session_expired(session: MutableMapping[str, Any], *, now: float) -> bool:
    started = session.get(STARTED_KEY)
    seen = session.get(SEEN_KEY)
    if started is None or seen is None:
        return False
    return (now - started > settings.STAFF_SESSION_MAX_AGE
            or now - seen > settings.STAFF_SESSION_IDLE_TIMEOUT)


def staff_session_begin(session: MutableMapping[str, Any], *, now: float) -> None:
    """The clock starts at the MFA step: only from there does a staff session open admin."""
    session[STARTED_KEY] = session[SEEN_KEY] = int(now)


def staff_session_touch(session: MutableMapping[str, Any], *, now: float) -> None:
    session.setdefault(STARTED_KEY, int(now))
    if now - session.get(SEEN_KEY, 0) >= TOUCH_EVERY_SECONDS:
        session[SEEN_KEY] = int(now)
