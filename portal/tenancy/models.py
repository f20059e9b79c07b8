"""Tenancy: resellers, their end-user accounts, their people, and the cloud service catalogue."""

from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from portal.audit.history import RecordedHistory
from portal.tenancy.querysets import TenantQuerySet, tenant_queryset

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # a dev dependency, for annotations only

MIN_DESIGNATED_CONTACTS = 2  # Support Guide 4.1: "at least two Designated Contacts"


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class User(AbstractUser):
    """A person who signs in: reseller staff (through a Membership) or vendor Care staff."""

    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone],
        help_text=_("Dates and times are shown to you in this time zone."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default="",
        help_text=_("Pages and emails to you are in this language. Blank: your browser's language."),
    )
    # Rights: who is staff or superuser, in which groups, with which permissions. No password hashes.
    history = RecordedHistory(excluded_fields=["password", "last_login"], m2m_fields=["groups", "user_permissions"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class CloudService(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cloud service")
        verbose_name_plural = _("cloud services")

    def __str__(self) -> str:
        return self.name


class DesignatedCount(TypedDict):
    designated_count: int


class ResellerQuerySet(models.QuerySet["Reseller"]):
    def with_designated_count(self) -> models.QuerySet[WithAnnotations[Reseller, DesignatedCount]]:
        # django-stubs types annotate() on a custom QuerySet as that class with an unsolved row
        # type, which no declared return type matches; the rows are as declared.
        return self.annotate(  # type: ignore[return-value]
            designated_count=Count(
                "memberships",
                filter=Q(
                    memberships__designation=Membership.Designation.APPROVED,
                    memberships__user__is_active=True,
                ),
            )
        )

    def short_of_contacts(self) -> models.QuerySet[WithAnnotations[Reseller, DesignatedCount]]:
        return self.with_designated_count().filter(designated_count__lt=MIN_DESIGNATED_CONTACTS)


class Reseller(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    attachment_quota_bytes = models.PositiveBigIntegerField(
        _("attachment storage quota (bytes)"), null=True, blank=True,
        help_text=_("Leave empty for the portal's default (ATTACHMENT_QUOTA_BYTES_PER_RESELLER)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    require_mfa = models.BooleanField(
        _("require MFA"), default=False,
        help_text=_("Its users must set up two-step verification before they use the portal."),
    )

    objects = ResellerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("reseller")
        verbose_name_plural = _("resellers")

    def __str__(self) -> str:
        return self.name


class SupportPackage(models.TextChoices):
    CARE = "care", _("Care for Cloud")
    BUSINESS_CARE = "business_care", _("Business Care for Cloud")
    PURE_SUCCESS = "pure_success", _("Pure Success")


class EndUserAccount(models.Model):
    """The reseller's customer whose users are affected (Support Guide 4.2, first detail)."""

    reseller = models.ForeignKey(
        Reseller, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("reseller")
    )
    name = models.CharField(_("account name"), max_length=200)
    department = models.CharField(_("department or area"), max_length=200, blank=True)
    support_package = models.CharField(
        _("support package"), max_length=20, choices=SupportPackage.choices
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    services = models.ManyToManyField(
        CloudService, related_name="accounts", verbose_name=_("cloud services")
    )
    calendar = models.ForeignKey(
        "sla.SupportCalendar", on_delete=models.PROTECT, null=True, blank=True, related_name="accounts",
        verbose_name=_("support calendar"),
        help_text=_("Business hours and holidays for SLA targets. Blank: Mon-Fri 08:00-18:00 in the "
                    "account's time zone, assigned when the first case is logged."),
    )
    csm_name = models.CharField(_("Customer Success Manager"), max_length=200, blank=True)
    csm_email = models.EmailField(_("CSM email"), blank=True)

    objects = tenant_queryset("reseller").as_manager()
    history = RecordedHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("end-user account")
        verbose_name_plural = _("end-user accounts")
        constraints = [
            models.UniqueConstraint(fields=["reseller", "name", "department"], name="account_unique_per_reseller"),
        ]

    def __str__(self) -> str:
        return f"{self.name} / {self.department}" if self.department else self.name


class MembershipQuerySet(TenantQuerySet["Membership"]):
    staff_sees_all = False  # staff manage memberships in admin, not through portal pages

    def designated(self) -> MembershipQuerySet:
        return self.filter(designation=Membership.Designation.APPROVED, user__is_active=True)


class Membership(models.Model):
    """Ties a user to one reseller; designation says whether they may open and update cases."""

    class Designation(models.TextChoices):
        NONE = "none", _("Reader")
        NOMINATED = "nominated", _("Nominated, awaiting approval")
        APPROVED = "approved", _("Designated Contact")
        REVOKED = "revoked", _("Designation revoked")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    reseller = models.ForeignKey(
        Reseller, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("reseller")
    )
    designation = models.CharField(
        _("designation"), max_length=20, choices=Designation.choices, default=Designation.NONE
    )
    phone_24x7 = models.CharField(
        _("phone reachable at all times"), max_length=40, blank=True,
        help_text=_("Designated Contacts must be reachable at all times for Critical cases."),
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = RecordedHistory()

    class Meta:
        verbose_name = _("reseller membership")
        verbose_name_plural = _("reseller memberships")
        permissions = [("decide_designation", _("Can approve, decline or revoke Designated Contacts"))]

    def __str__(self) -> str:
        return f"{self.user} ({self.reseller})"

    @property
    def is_designated(self) -> bool:
        return self.designation == self.Designation.APPROVED and self.user.is_active


class DesignationEvent(models.Model):
    """The record of who nominated, approved or revoked a Designated Contact, and when."""

    class Action(models.TextChoices):
        NOMINATED = "nominated", _("nominated")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")
        REVOKED = "revoked", _("revoked")

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="events", verbose_name=_("membership")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("designation event")
        verbose_name_plural = _("designation events")

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.action}"
