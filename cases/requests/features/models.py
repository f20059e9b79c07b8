"""Feature requests, one vote per Designated Contact, and their history."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.requests.common import RequestBase, RequestEventFields
from portal.models import CloudService
from portal.tenancy.querysets import TenantQuerySet


class FeatureRequestQuerySet(TenantQuerySet["FeatureRequest"]):
    def shared_with_every_reseller(self) -> Q:
        # Published requests are read (public text only) and voted on by every reseller.
        return Q(is_published=True)


# A named manager class, so FeatureRequest.objects can be declared a ClassVar like the one it
# overrides on RequestBase.
FeatureRequestManager = models.Manager.from_queryset(FeatureRequestQuerySet)


class FeatureRequest(RequestBase):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        PLANNED = "planned", _("Planned")
        DELIVERED = "delivered", _("Delivered")
        DECLINED = "declined", _("Declined")

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem it solves"))
    service = models.ForeignKey(
        CloudService, on_delete=models.PROTECT, related_name="+", verbose_name=_("affected service")
    )
    business_value = models.TextField(_("business value"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "Published requests are shown to every reseller, with the public title and summary "
            "only."
        ),
    )
    public_title = models.CharField(_("public title"), max_length=200, blank=True)
    public_summary = models.TextField(_("public summary"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )

    objects: ClassVar[FeatureRequestManager[FeatureRequest]] = FeatureRequestManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feature request")
        verbose_name_plural = _("feature requests")
        indexes = [
            models.Index(
                fields=["is_published"], name="feature_published", condition=Q(is_published=True)
            )
        ]

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
        constraints = [
            models.UniqueConstraint(fields=["feature", "voter"], name="one_vote_per_contact")
        ]

    def __str__(self) -> str:
        return f"{self.feature_id} <- {self.voter_id}"

class FeatureEvent(RequestEventFields):
    request = models.ForeignKey(FeatureRequest, on_delete=models.CASCADE, related_name="events")

    class Meta(RequestEventFields.Meta):
        verbose_name = _("feature request history entry")
        verbose_name_plural = _("feature request history")
