"""The one history of configuration changes: who changed which field of which object, from what to what."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeRecord(models.Model):
    """One field of one object changed (or set on creation) by one person, through a service."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of object")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    changed_object = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    field = models.CharField(_("field"), max_length=64)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("configuration change")
        verbose_name_plural = _("configuration changes")
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"], name="change_record_object"),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr or self.object_id}.{self.field}: {self.old_value} -> {self.new_value}"
