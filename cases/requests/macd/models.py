"""MAC/D requests, their lines and history, and where a MAC/D for each cloud service goes."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.requests.common import RequestBase, RequestEventFields
from portal.models import CloudService, EndUserAccount


class MacdRoute(models.Model):
    """Where a MAC/D for a service goes: a Service Request to Customer Care, or the account's
    CSM."""

    class Route(models.TextChoices):
        CARE = "care", _("Service Request to Customer Care")
        CSM = "csm", _("Email to the account's Customer Success Manager")

    service = models.OneToOneField(
        CloudService,
        on_delete=models.CASCADE,
        related_name="macd_route",
        verbose_name=_("cloud service"),
    )
    route = models.CharField(_("route"), max_length=10, choices=Route.choices)

    class Meta:
        ordering = ["service__name"]
        verbose_name = _("MAC/D route")
        verbose_name_plural = _("MAC/D routes")

    def __str__(self) -> str:
        return f"{self.service}: {self.get_route_display()}"


class MacdRequest(RequestBase):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        IN_PROGRESS = "in_progress", _("In progress")
        AWAITING_RESELLER = "awaiting_reseller", _("Awaiting reseller")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        SENT_TO_CSM = "sent_to_csm", _("Sent to CSM")

    account = models.ForeignKey(
        EndUserAccount,
        on_delete=models.PROTECT,
        related_name="macd_requests",
        verbose_name=_("end-user account"),
    )
    service = models.ForeignKey(
        CloudService, on_delete=models.PROTECT, related_name="+", verbose_name=_("cloud service")
    )
    title = models.CharField(_("summary"), max_length=200)
    route = models.CharField(
        _("route"), max_length=10, choices=MacdRoute.Route.choices, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    csm_recipient = models.EmailField(_("sent to"), blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("MAC/D request")
        verbose_name_plural = _("MAC/D requests")

    def __str__(self) -> str:
        return f"MR-{self.pk:06d} {self.title}" if self.pk else self.title

    @property
    def reference(self) -> str:
        return f"MR-{self.pk:06d}"

    def get_absolute_url(self) -> str:
        return reverse("macd_detail", args=[self.pk])


class MacdLine(models.Model):
    class Action(models.TextChoices):
        MOVE = "move", _("Move")
        ADD = "add", _("Add")
        CHANGE = "change", _("Change")
        DELETE = "delete", _("Delete")

    request = models.ForeignKey(MacdRequest, on_delete=models.CASCADE, related_name="lines")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    item = models.CharField(_("item"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    wanted_by = models.DateField(_("wanted by"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("MAC/D line")
        verbose_name_plural = _("MAC/D lines")

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.item}"


class MacdEvent(RequestEventFields):
    request = models.ForeignKey(MacdRequest, on_delete=models.CASCADE, related_name="events")

    class Meta(RequestEventFields.Meta):
        verbose_name = _("MAC/D history entry")
        verbose_name_plural = _("MAC/D history")
