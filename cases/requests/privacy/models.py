"""A data subject's request and its history (the record a data protection audit asks for)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import access
from portal.models import EndUserAccount, Reseller
from portal.tenancy.querysets import TenantQuerySet


class DataPrivacyRequestQuerySet(TenantQuerySet["DataPrivacyRequest"]):
    def staff_sees_all_for(self, user: Any) -> bool:
        # Among staff only the Data privacy team (and superusers) read data subjects' requests.
        return access.is_data_privacy_staff(user)


class DataPrivacyRequest(models.Model):
    """A data subject's request (GDPR: access, erasure, correction), handled by the Data privacy
    team."""

    class Type(models.TextChoices):
        ACCESS = "access", _("Access to personal data")
        ERASURE = "erasure", _("Erasure of personal data")
        CORRECTION = "correction", _("Correction of personal data")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Rejected")

    reseller = models.ForeignKey(
        Reseller,
        on_delete=models.PROTECT,
        related_name="privacy_requests",
        verbose_name=_("reseller"),
    )
    account = models.ForeignKey(
        EndUserAccount,
        on_delete=models.PROTECT,
        related_name="privacy_requests",
        verbose_name=_("end-user account"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    request_type = models.CharField(_("request type"), max_length=20, choices=Type.choices)
    subject_identifier = models.CharField(
        _("data subject identifier"),
        max_length=200,
        help_text=_(
            "How the end user's system identifies the person, e.g. an email address or user ID."
        ),
    )
    details = models.TextField(_("details"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    response = models.TextField(_("response to the reseller"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DataPrivacyRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("data privacy request")
        verbose_name_plural = _("data privacy requests")

    def __str__(self) -> str:
        return f"{self.reference} {self.get_request_type_display()}"

    @property
    def reference(self) -> str:
        return f"DP-{self.pk}"


class DataPrivacyRequestEvent(models.Model):
    """One row of a data privacy request's history (the record a data protection audit asks for)."""

    privacy_request = models.ForeignKey(
        DataPrivacyRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("request"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    old_status = models.CharField(
        _("from"), max_length=20, choices=DataPrivacyRequest.Status.choices, blank=True
    )
    new_status = models.CharField(_("to"), max_length=20, choices=DataPrivacyRequest.Status.choices)
    note = models.TextField(_("response"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("data privacy request history entry")
        verbose_name_plural = _("data privacy request history")

    def __str__(self) -> str:
        return f"{self.old_status or '-'} -> {self.new_status}"
