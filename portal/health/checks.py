"""The readiness checks, as django-health-check checks (synchronous `run`).

ReadinessView runs them one after another in the request's own thread and database connection
(see portal/health/views.py), so no check leaves a connection open in a pool thread, and each
bounds its own time (the broker's socket timeout, the database's connect timeout)."""

from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta

from django.conf import settings
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.exceptions import ServiceUnavailable

from portal.health.selectors import heartbeat_age
from portal.notify.selectors import outbox_backlog

log = logging.getLogger(__name__)


@dataclasses.dataclass
class DatabaseCheck(Database):
    """SELECT 1 on the default database."""


@dataclasses.dataclass
class BrokerCheck(HealthCheck):
    """Opens a connection to the Celery broker (Redis, or the file-system folders) and pings it."""

    def run(self) -> None:
        from portal.celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1)
                client = getattr(connection.default_channel, "client", None)
                if client is not None and hasattr(client, "ping"):
                    client.ping()
        except Exception as exc:  # every transport raises its own kinds
            raise ServiceUnavailable(f"broker unreachable ({type(exc).__name__})") from exc


@dataclasses.dataclass
class BeatHeartbeatCheck(HealthCheck):
    """The beat schedules a heartbeat task every 30 s; a worker records it. Stale = no SLA alerts."""

    def run(self) -> None:
        limit = timedelta(seconds=settings.HEALTH_BEAT_MAX_AGE_SECONDS)
        age = heartbeat_age()
        if age is None:
            reason = "beat heartbeat never recorded: is exactly one `celery beat` and a worker running?"
        elif age > limit:
            reason = (
                f"beat heartbeat stale: last recorded {int(age.total_seconds())} s ago (limit "
                f"{int(limit.total_seconds())} s); SLA alerts and outbox retries are not running"
            )
        else:
            return
        # ERROR, not the library's WARNING: this is the fault that silently stops every SLA alert.
        log.error("Readiness: %s", reason)
        raise ServiceUnavailable(reason)


@dataclasses.dataclass
class OutboxBacklogCheck(HealthCheck):
    def run(self) -> None:
        backlog = outbox_backlog()
        limit = settings.HEALTH_OUTBOX_MAX_BACKLOG
        if backlog.count > limit:
            oldest = int(backlog.oldest_age.total_seconds()) if backlog.oldest_age else 0
            reason = f"outbox backlog: {backlog.count} emails pending over a minute (limit {limit}, oldest {oldest} s)"
            log.error("Readiness: %s", reason)
            raise ServiceUnavailable(reason)


READINESS_CHECKS = (DatabaseCheck, BrokerCheck, BeatHeartbeatCheck, OutboxBacklogCheck)
