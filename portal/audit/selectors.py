"""Reads of the audit trail."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import QuerySet

from portal.audit.models import AuditEvent

CSV_COLUMNS = ("at", "kind", "username", "reseller", "ip", "path", "object_type", "object_id", "object_repr",
               "detail")


def audit_events_older_than(cutoff: datetime) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(at__lt=cutoff)


def _cell(value: object) -> str:
    """A spreadsheet runs a cell that starts with = + - @ as a formula; a leading quote keeps it text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_events_csv(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """The rows as CSV lines, header first, streamed so a large export does not sit in memory."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    rows: Iterable[AuditEvent] = events.select_related("reseller").iterator(chunk_size=2000)
    for event in rows:
        yield writer.writerow([_cell(value) for value in (
            event.at.isoformat(), event.kind, event.username, event.reseller.name if event.reseller else "",
            event.ip, event.path, event.object_type, event.object_id, event.object_repr, event.detail,
        )])
