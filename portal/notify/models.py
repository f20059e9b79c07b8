"""The outbox row: one email to one address, rendered once, sent at most once.

This module must not import `portal.models`: `portal.models` imports it (so Django registers the
model under the `portal` app), and the user is referenced through `settings.AUTH_USER_MODEL`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="notifications", verbose_name=_("recipient"),
        help_text=_("Blank for a plain address such as the care queue or a CSM."),
    )
    to_email = models.EmailField(_("to"), max_length=254)
    kind = models.CharField(_("kind"), max_length=64)
    template = models.CharField(_("template"), max_length=100)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("about (type)"),
    )
    object_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    language = models.CharField(_("language"), max_length=10)
    time_zone = models.CharField(_("time zone"), max_length=64)
    # Rendered at queue time: a retry sends exactly what the reader would have got the first time.
    subject = models.TextField(_("subject"))
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    attachments = models.JSONField(
        _("attachments"), default=list, blank=True,
        help_text=_('A list of {"filename", "content", "mimetype"} with text content.'),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("leased at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # Made once at creation, so every retry carries the same Message-ID and a reader's mail
    # client can fold a duplicate (a worker killed between SMTP "250" and marking the row sent).
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    dedupe_key = models.CharField(
        _("dedupe key"), max_length=200, blank=True,
        help_text=_("Queueing the same key for the same address again is a no-op."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key", "to_email"], condition=~Q(dedupe_key=""),
                name="notification_dedupe_per_address",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="notification_sent_has_sent_at",
            ),
        ]
        indexes = [
            # services.notification_requeue_due: pending rows with next_attempt_at <= now, oldest
            # first. Sent and failed rows (almost all of the table) stay out of the index.
            models.Index(
                fields=["next_attempt_at"], condition=Q(status="pending"),
                name="notification_due_idx",
            ),
            # "What did we send about this case?"
            models.Index(fields=["content_type", "object_id"], name="notification_about_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email} ({self.status})"
