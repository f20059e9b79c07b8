"""Queueing many emails at once: one INSERT for all their rows, one broker message on commit.

For a beat tick that raises hundreds of alerts in one transaction (sla.alerts.sweep). The rows
are the same outbox rows as `services.notification_queue` writes (one per recipient, the same
dedupe guarantee, a Message-ID made now), except that they are rendered by the worker that first
delivers them (`rendering.deferred_render`, then stored, so a retry sends the same text): at
about a millisecond an email, rendering a thousand inside the tick would cost more than the rest
of the tick together. Measured by bench/bench_sweep.py.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from celery import current_app
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Field, Model
from django.utils import timezone

from portal.notify.models import Notification
from portal.notify.rendering import Recipient, deferred_context_registered
from portal.notify.services import PUBLISH_GRACE, _message_domain, _message_id, _recipients

if TYPE_CHECKING:
    from portal.models import User

log = logging.getLogger(__name__)

DELIVER_MANY_TASK = "portal.notify.tasks.deliver_notifications"
# A worker handed more rows than this splits them into messages of this many, so every worker
# gets a share of a big batch while the tick itself publishes one message.
DELIVERY_CHUNK = 20
# Rows per INSERT statement on SQLite: well under its limit on bound parameters.
INSERT_CHUNK = 500

# What differs from row to row, and what every row of a batch shares.
_PER_ROW = (
    "recipient", "to_email", "kind", "template", "content_type", "object_id", "language", "time_zone",
    "message_id", "dedupe_key",
)
_SHARED = (
    "subject", "body_text", "body_html", "attachments", "status", "attempts", "next_attempt_at",
    "last_error", "created_at",
)
_INTEGERS = {"recipient", "content_type", "object_id"}


@dataclass(frozen=True)
class QueuedEmail:
    """One email to several readers, about one object; `dedupe_key` is required (it is what the
    kind's deferred context reads to rebuild the email)."""

    kind: str
    template: str
    recipients: Sequence[User | str | Recipient]
    dedupe_key: str
    about_model: type[Model] | None = None
    about_pk: int | None = None


def _insert(cursor: Any, rows: list[list[Any]], shared: list[Any]) -> list[int]:
    """One INSERT for the rows; returns the ids of those that went in.

    ON CONFLICT DO NOTHING: a repeat of (key, address) is skipped by the database, race-free, and
    RETURNING gives exactly the rows that went in. On PostgreSQL the rows travel as one array per
    column (unnest), so the statement has a score of placeholders, not thousands to bind.
    """
    meta = Notification._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in ("id", *_PER_ROW, *_SHARED)]
    pk, *columns = (quote(field.column) for field in fields if isinstance(field, Field) and field.column)
    assert len(columns) == len(fields) - 1
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) "
    tail = f" ON CONFLICT DO NOTHING RETURNING {pk}"
    shared_marks = ", ".join(["%s"] * len(_SHARED))
    if connection.vendor == "postgresql":
        arrays = ", ".join("%s::bigint[]" if name in _INTEGERS else "%s::text[]" for name in _PER_ROW)
        sql = head + f"SELECT *, {shared_marks} FROM unnest({arrays})" + tail
        cursor.execute(sql, shared + [list(column) for column in zip(*rows, strict=True)])
        return [pk for (pk,) in cursor.fetchall()]
    created = []
    row_marks = "(" + ", ".join(["%s"] * len(_PER_ROW)) + ", " + shared_marks + ")"
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start:start + INSERT_CHUNK]
        cursor.execute(head + "VALUES " + ", ".join([row_marks] * len(chunk)) + tail,
                       [value for row in chunk for value in row + shared])
        created += [pk for (pk,) in cursor.fetchall()]
    return created


def notification_queue_many(*, emails: Sequence[QueuedEmail]) -> list[int]:
    """Writes one unrendered row per (email, reader) in the caller's transaction; publishes on commit.

    A (dedupe key, address) that already has a row adds nothing and is not published again.
    Returns the ids of the rows written now.
    """
    now = timezone.now()
    # Plain SQL with the shared values adapted once per batch: the ORM's bulk_create spends most
    # of its time preparing each of the thousands of values (bench/bench_sweep.py).
    ops = connection.ops
    shared = [
        "", "", "", Notification._meta.get_field("attachments").get_db_prep_save([], connection),
        Notification.Status.PENDING.value, 0, ops.adapt_datetimefield_value(now + PUBLISH_GRACE), "",
        ops.adapt_datetimefield_value(now),
    ]
    domain = _message_domain()
    content_types: dict[type[Model], int] = {}
    rows: list[list[Any]] = []
    for email in emails:
        if not email.dedupe_key or not deferred_context_registered(email.kind):
            raise ValueError(f"{email.kind!r}: bulk rows need a dedupe key and a registered deferred context")
        content_type_id = None
        if email.about_model is not None:
            if email.about_model not in content_types:
                content_types[email.about_model] = ContentType.objects.get_for_model(email.about_model).pk
            content_type_id = content_types[email.about_model]
        for recipient in _recipients(email.recipients):
            rows.append([
                recipient.user.pk if recipient.user is not None else None, recipient.key, email.kind,
                email.template, content_type_id, email.about_pk, recipient.language, recipient.time_zone,
                _message_id(domain), email.dedupe_key,
            ])
    if not rows:
        return []
    with transaction.atomic(), connection.cursor() as cursor:  # a savepoint in the caller's transaction
        created = _insert(cursor, rows, shared)
    created.sort()
    if created:
        transaction.on_commit(lambda: notifications_publish(created))
    return created


def notifications_publish(notification_ids: Sequence[int]) -> int:
    """Hands rows to the broker in one message; a broker error is logged, never raised.

    Returns how many rows went. What did not go is still pending: the outbox's beat publishes it.
    """
    try:
        current_app.tasks[DELIVER_MANY_TASK].apply_async(args=(list(notification_ids),), retry=False)
    except Exception:
        log.warning("could not publish notifications %s; the beat will re-queue them",
                    list(notification_ids), exc_info=True)
        return 0
    return len(notification_ids)


def notifications_fan_out(notification_ids: Sequence[int]) -> int:
    """Splits a big batch into messages of DELIVERY_CHUNK rows (run by a worker, not the tick)."""
    published = 0
    for start in range(0, len(notification_ids), DELIVERY_CHUNK):
        published += notifications_publish(notification_ids[start:start + DELIVERY_CHUNK])
    return published
