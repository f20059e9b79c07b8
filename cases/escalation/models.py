"""Severity escalation: the record of a call, and re-determination requested by the reseller."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.intake.models import Case, Severity
from portal.tenancy.querysets import tenant_queryset


class SeverityCall(models.Model):
    """Care raised severity after a phone call: who called, when, and why (required for a raise)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="severity_calls")
    from_severity = models.PositiveSmallIntegerField(_("from"), choices=Severity.choices)
    to_severity = models.PositiveSmallIntegerField(_("to"), choices=Severity.choices)
    caller = models.CharField(_("who called"), max_length=200)
    called_at = models.DateTimeField(_("when they called"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = tenant_queryset("case__reseller").as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("severity call record")
        verbose_name_plural = _("severity call records")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_severity} -> {self.to_severity} ({self.caller})"

class SeverityRequest(models.Model):
    """A Designated Contact asks Care to re-determine severity; Care has the final word."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting Customer Care")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="severity_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_severity = models.PositiveSmallIntegerField(_("current severity"), choices=Severity.choices)
    requested_severity = models.PositiveSmallIntegerField(_("requested severity"), choices=Severity.choices)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("Customer Care's reason"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    objects = tenant_queryset("case__reseller").as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("severity request")
        verbose_name_plural = _("severity requests")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="one_pending_severity_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_severity} -> {self.requested_severity} ({self.status})"
