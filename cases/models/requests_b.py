"""Other requests (Support Guide "Other requests" and the platform overview's uptime credits):
MAC/D requests and their routing, feature requests with votes, and uptime credit requests.

Each request keeps its own history (status changes and staff comments) in an event table, like a case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import CloudService, EndUserAccount, Reseller


class RequestEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    STATUS = "status", _("Status changed")
    COMMENT = "comment", _("Comment")
    SENT_TO_CSM = "sent_to_csm", _("Sent to the CSM")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")
    MERGED = "merged", _("Merged")
    VOTED = "voted", _("Voted")
    UPTIME = "uptime", _("Uptime measured")


class RequestEventFields(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=RequestEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    old_value = models.CharField(_("from"), max_length=200, blank=True)
    new_value = models.CharField(_("to"), max_length=200, blank=True)
    body = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class RequestBase(models.Model):
    reseller = models.ForeignKey(Reseller, on_delete=models.PROTECT, related_name="+", verbose_name=_("reseller"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


# --- MAC/D ------------------------------------------------------------------------------------------


class MacdRoute(models.Model):
    """Where a MAC/D for a service goes: a Service Request to Customer Care, or the account's CSM."""

    class Route(models.TextChoices):
        CARE = "care", _("Service Request to Customer Care")
        CSM = "csm", _("Email to the account's Customer Success Manager")

    service = models.OneToOneField(
        CloudService, on_delete=models.CASCADE, related_name="macd_route", verbose_name=_("cloud service")
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
        EndUserAccount, on_delete=models.PROTECT, related_name="macd_requests", verbose_name=_("end-user account")
    )
    service = models.ForeignKey(CloudService, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("cloud service"))
    title = models.CharField(_("summary"), max_length=200)
    route = models.CharField(_("route"), max_length=10, choices=MacdRoute.Route.choices, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
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


# --- Feature requests ----------------------------------------------------------------------------------


class FeatureRequest(RequestBase):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        PLANNED = "planned", _("Planned")
        DELIVERED = "delivered", _("Delivered")
        DECLINED = "declined", _("Declined")

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem it solves"))
    service = models.ForeignKey(CloudService, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("affected service"))
    business_value = models.TextField(_("business value"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    is_published = models.BooleanField(
        _("published"), default=False,
        help_text=_("Published requests are shown to every reseller, with the public title and summary only."),
    )
    public_title = models.CharField(_("public title"), max_length=200, blank=True)
    public_summary = models.TextField(_("public summary"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates",
        verbose_name=_("merged into"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feature request")
        verbose_name_plural = _("feature requests")
        indexes = [models.Index(fields=["is_published"], name="feature_published",
                                condition=Q(is_published=True))]

    def __str__(self) -> str:
        return f"FR-{self.pk:06d} {self.title}" if self.pk else self.title

    @property
    def reference(self) -> str:
        return f"FR-{self.pk:06d}"

    def get_absolute_url(self) -> str:
        return reverse("feature_detail", args=[self.pk])


class FeatureVote(models.Model):
    feature = models.ForeignKey(FeatureRequest, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feature vote")
        verbose_name_plural = _("feature votes")
        constraints = [models.UniqueConstraint(fields=["feature", "voter"], name="one_vote_per_contact")]


class FeatureEvent(RequestEventFields):
    request = models.ForeignKey(FeatureRequest, on_delete=models.CASCADE, related_name="events")

    class Meta(RequestEventFields.Meta):
        verbose_name = _("feature request history entry")
        verbose_name_plural = _("feature request history")


# --- Uptime credits --------------------------------------------------------------------------------------


class UptimeCreditRequest(RequestBase):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    account = models.ForeignKey(
        EndUserAccount, on_delete=models.PROTECT, related_name="credit_requests",
        verbose_name=_("end-user account"),
    )
    service = models.ForeignKey(CloudService, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("cloud service"))
    month = models.DateField(_("month"), help_text=_("The first day of the calendar month concerned."))
    notes = models.TextField(_("what the reseller observed"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    measured_uptime = models.DecimalField(
        _("measured uptime (%)"), max_digits=6, decimal_places=3, null=True, blank=True, editable=False
    )
    credit_percent = models.DecimalField(
        _("credit (%)"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("uptime credit request")
        verbose_name_plural = _("uptime credit requests")
        constraints = [
            models.UniqueConstraint(fields=["account", "service", "month"], name="one_credit_request_per_month"),
        ]

    def __str__(self) -> str:
        return f"UC-{self.pk:06d} {self.service} {self.month:%Y-%m}" if self.pk else str(self.month)

    @property
    def reference(self) -> str:
        return f"UC-{self.pk:06d}"

    def get_absolute_url(self) -> str:
        return reverse("credit_detail", args=[self.pk])


class CreditEvent(RequestEventFields):
    request = models.ForeignKey(UptimeCreditRequest, on_delete=models.CASCADE, related_name="events")

    class Meta(RequestEventFields.Meta):
        verbose_name = _("uptime credit history entry")
        verbose_name_plural = _("uptime credit history")
