"""Uptime credit requests (one per account, service and month) and their history."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.requests.common import RequestBase, RequestEventFields
from portal.models import CloudService, EndUserAccount


class UptimeCreditRequest(RequestBase):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    account = models.ForeignKey(
        EndUserAccount,
        on_delete=models.PROTECT,
        related_name="credit_requests",
        verbose_name=_("end-user account"),
    )
    service = models.ForeignKey(
        CloudService, on_delete=models.PROTECT, related_name="+", verbose_name=_("cloud service")
    )
    month = models.DateField(
        _("month"), help_text=_("The first day of the calendar month concerned.")
    )
    notes = models.TextField(_("what the reseller observed"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    measured_uptime = models.DecimalField(
        _("measured uptime (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        editable=False,
    )
    credit_percent = models.DecimalField(
        _("credit (%)"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("uptime credit request")
        verbose_name_plural = _("uptime credit requests")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "service", "month"], name="one_credit_request_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"UC-{self.pk:06d} {self.service} {self.month:%Y-%m}" if self.pk else str(self.month)

    @property
    def reference(self) -> str:
        return f"UC-{self.pk:06d}"

    def get_absolute_url(self) -> str:
        return reverse("credit_detail", args=[self.pk])


class CreditEvent(RequestEventFields):
    request = models.ForeignKey(
        UptimeCreditRequest, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(RequestEventFields.Meta):
        verbose_name = _("uptime credit history entry")
        verbose_name_plural = _("uptime credit history")
