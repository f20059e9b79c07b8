"""The outbox services: queue in the caller's transaction, deliver one row under a lease, re-queue.

See the package docstring (portal/notify/__init__.py) for the whole journey of a notification.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from celery import current_app
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from portal.notify.models import Notification
from portal.notify.rendering import Recipient, deferred_render, email_render

if TYPE_CHECKING:
    from portal.models import User

log = logging.getLogger(__name__)

DELIVER_TASK = "portal.notify.tasks.deliver_notification"

# Longer than CELERY_TASK_TIME_LIMIT (120 s), so a live delivery is never taken over mid-send.
DELIVERY_LEASE = timedelta(minutes=3)
# A new row waits this long before the beat may publish it, so the beat does not publish again
# a row whose on-commit publish is in flight (the lease would stop a double send anyway).
PUBLISH_GRACE = timedelta(minutes=2)
FIRST_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=1)
DEFAULT_MAX_ATTEMPTS = 8
REQUEUE_BATCH = 500

Status = Notification.Status


def _max_attempts() -> int:
    return int(getattr(settings, "NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def _backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes after the 1st, 2nd, 3rd failure; never more than an hour."""
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def _lease_free(now: datetime) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - DELIVERY_LEASE)


def _message_domain() -> str | None:
    # The sender's domain rather than Django's DNS_NAME: getfqdn() can take seconds on a host
    # with slow DNS, and this runs inside a web request.
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or None


def _message_id(domain: str | None = None) -> str:
    return make_msgid(domain=domain or _message_domain())


def _recipients(recipients: Iterable[User | str | Recipient]) -> list[Recipient]:
    """Each mailbox once (first mention wins), blank addresses dropped."""
    unique: dict[str, Recipient] = {}
    for item in recipients:
        if isinstance(item, Recipient):
            recipient = item
        elif isinstance(item, str):
            recipient = Recipient.from_address(item)
        else:
            recipient = Recipient.from_user(item)
        if recipient.key and recipient.key not in unique:
            unique[recipient.key] = recipient
    return list(unique.values())


def _publish(notification_ids: Sequence[int]) -> int:
    """Hands rows to the broker; a broker error is logged, never raised. Returns how many went."""
    # Looked up by name: the task module imports this one, and a registry lookup keeps eager
    # mode (tests) working, which send_task would not.
    deliver_notification = current_app.tasks[DELIVER_TASK]

    published = 0
    for notification_id in notification_ids:
        try:
            deliver_notification.apply_async(args=(notification_id,), retry=False)
        except Exception:
            # The broker is down or frozen. Every further try would cost the same timeout, so stop:
            # the rows are in the database and the beat publishes them once they are due.
            log.warning(
                "could not publish notifications %s; the beat will re-queue them",
                list(notification_ids[published:]), exc_info=True,
            )
            break
        published += 1
    return published


def notification_queue(
    *,
    kind: str,
    template: str,
    recipients: Iterable[User | str | Recipient],
    context: Mapping[str, Any],
    about: Model | None = None,
    attachments: Sequence[Mapping[str, str]] = (),
    dedupe_key: str = "",
) -> list[Notification]:
    """Writes one rendered row per recipient, in the caller's transaction; publishes on commit.

    With a `dedupe_key`, queueing the same key for an address that already has it adds nothing;
    the existing rows are returned (and not published again).
    """
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(about) if about is not None else None
    stored_attachments = [
        {"filename": a["filename"], "content": a["content"], "mimetype": a["mimetype"]}
        for a in attachments
    ]
    rows = []
    for recipient in _recipients(recipients):
        rendered = email_render(template=template, context=context, recipient=recipient)
        rows.append(Notification(
            recipient=recipient.user, to_email=recipient.key, kind=kind, template=template,
            content_type=content_type, object_id=about.pk if about is not None else None,
            language=recipient.language, time_zone=recipient.time_zone,
            subject=rendered.subject, body_text=rendered.body_text, body_html=rendered.body_html,
            attachments=stored_attachments, status=Status.PENDING,
            next_attempt_at=now + PUBLISH_GRACE, message_id=_message_id(),
            dedupe_key=dedupe_key, created_at=now,
        ))
    if not rows:
        return []
    with transaction.atomic():  # a savepoint inside the caller's transaction
        if dedupe_key:
            # A repeat of (key, address) is skipped by the database, which is race-free.
            Notification.objects.bulk_create(rows, ignore_conflicts=True)
            created = list(Notification.objects.filter(
                dedupe_key=dedupe_key, to_email__in=[row.to_email for row in rows]
            ).order_by("pk"))
        else:
            created = Notification.objects.bulk_create(rows)
    new_message_ids = {row.message_id for row in rows}
    to_publish = [row.pk for row in created if row.message_id in new_message_ids]
    if to_publish:
        transaction.on_commit(lambda: _publish(to_publish))
    return created


def _email(notification: Notification) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=notification.subject, body=notification.body_text,
        to=[notification.to_email], headers={"Message-ID": notification.message_id},
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    for attachment in notification.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> bool:
    """Sends one row if nobody else is or has; True if this call sent it."""
    now = now or timezone.now()
    # The lease: a conditional UPDATE, so of two workers holding the same row only one goes on
    # (PostgreSQL re-checks the condition after the row lock). A sent row never matches.
    leased = (
        Notification.objects.filter(pk=notification_id, status=Status.PENDING, sent_at__isnull=True)
        .filter(_lease_free(now))
        .update(claimed_at=now)
    )
    if leased != 1:
        return False
    notification = Notification.objects.get(pk=notification_id)
    try:
        if not notification.subject:
            _render_now(notification)
        _email(notification).send()
    except Exception as error:
        _record_failure(notification, now, error)
        return False
    # claimed_at is kept: it says when the sending attempt started.
    Notification.objects.filter(pk=notification_id).update(
        status=Status.SENT, sent_at=timezone.now(), attempts=notification.attempts + 1,
        next_attempt_at=None, last_error="",
    )
    return True


def _render_now(notification: Notification) -> None:
    """A row queued in bulk (portal.notify.batch) is rendered once, by its first delivery, and
    stored, so every later attempt sends the same text. We hold the lease: nobody else writes it."""
    rendered = deferred_render(notification=notification)
    notification.subject = rendered.subject
    notification.body_text = rendered.body_text
    notification.body_html = rendered.body_html
    notification.save(update_fields=["subject", "body_text", "body_html"])


def _republish_backoff(now: datetime, created_at: datetime) -> timedelta:
    """How long a published row that is still pending waits before the beat publishes it again:
    about as long as it has waited so far, in steps of 2, 4, 8 ... minutes (few distinct gaps, so
    few UPDATEs), at most an hour. A message sitting in a busy queue is not fed to it again every
    tick; one the broker lost is still re-sent."""
    gap = PUBLISH_GRACE
    while gap * 2 <= now - created_at and gap < MAX_BACKOFF:
        gap *= 2
    return min(gap, MAX_BACKOFF)


def _record_failure(notification: Notification, now: datetime, error: Exception) -> None:
    attempts = notification.attempts + 1
    gave_up = attempts >= _max_attempts()
    log.warning(
        "notification %s to %s failed (attempt %s%s): %s", notification.pk, notification.to_email,
        attempts, ", giving up" if gave_up else "", error,
    )
    # Only while we still hold the lease; releasing it lets the beat publish the row again.
    Notification.objects.filter(pk=notification.pk, claimed_at=now).update(
        claimed_at=None, attempts=attempts, last_error=f"{type(error).__name__}: {error}"[:2000],
        status=Status.FAILED if gave_up else Status.PENDING,
        next_attempt_at=None if gave_up else now + _backoff(attempts),
    )


def notification_requeue_due(*, now: datetime | None = None, batch: int = REQUEUE_BATCH) -> int:
    """One beat tick: publishes pending rows that are due and not leased by a live delivery.

    Due rows are those the broker never got, those a killed worker left leased (after the lease
    runs out) and failed attempts whose backoff is over. Returns how many were published.
    """
    now = now or timezone.now()
    # Served by the partial index notification_due_idx (status = pending, on next_attempt_at).
    due = list(
        Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .filter(_lease_free(now))
        .order_by("next_attempt_at")
        .values_list("pk", "created_at")[:batch]
    )
    if not due:
        return 0
    # Not due again for a while, and the longer a row waits the longer the gap, so a slow queue
    # is not fed the same rows every tick. One UPDATE per distinct gap (a handful).
    by_gap: dict[timedelta, list[int]] = {}
    for pk, created_at in due:
        by_gap.setdefault(_republish_backoff(now, created_at), []).append(pk)
    for gap, pks in by_gap.items():
        Notification.objects.filter(pk__in=pks, status=Status.PENDING).update(next_attempt_at=now + gap)
    ids = [pk for pk, _created_at in due]
    published = _publish(ids)
    if published < len(ids):
        # The broker is down: what it never got is tried again soon, not after the long gap.
        Notification.objects.filter(pk__in=ids[published:], status=Status.PENDING).update(
            next_attempt_at=now + PUBLISH_GRACE
        )
    return published


def notification_retry(*, notification_ids: Iterable[int], actor: User) -> int:
    """Staff: send failed (or waiting) rows now. A row that fails again is failed again.

    Returns how many rows were re-queued; sent rows are left alone.
    """
    if not actor.is_staff:
        raise PermissionDenied("Only Customer Care staff may retry notifications.")
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(
                pk__in=list(notification_ids), status__in=[Status.FAILED, Status.PENDING]
            ).values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(status=Status.PENDING, next_attempt_at=now)
        if ids:
            transaction.on_commit(lambda: _publish(ids))
    log.info("%s re-queued notifications %s", actor, ids)
    return len(ids)
