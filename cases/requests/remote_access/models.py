"""Care's request to access the end user's environment remotely, for one case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.tenancy.querysets import tenant_queryset


class RemoteAccessRequest(models.Model):
    """Customer Care asks to access the end user's environment remotely; a Designated Contact
    decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the reseller's decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="remote_access_requests",
        verbose_name=_("case"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    reason = models.TextField(_("why remote access is needed"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    objects = tenant_queryset("case__reseller").as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("remote access request")
        verbose_name_plural = _("remote access requests")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="one_pending_remote_access_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_status_display()}"
