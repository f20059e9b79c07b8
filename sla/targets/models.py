"""Support calendars and the per-package targets of Support Guide Table 1."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.audit.history import RecordedHistory
from portal.models import SupportPackage, validate_time_zone

DEFAULT_WEEKLY_HOURS = {str(day): [["08:00", "18:00"]] for day in range(5)}


class SupportCalendar(models.Model):
    """When business time runs for an end-user account: zone, weekly hours and holidays."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    weekly_hours = models.JSONField(
        _("weekly working hours"), default=dict,
        help_text=_('Weekday (0 = Monday) to local intervals, e.g. {"0": [["08:00", "18:00"]]}. '
                    '"24:00" or "00:00" as an end means midnight.'),
    )
    holiday_country = models.CharField(
        _("public holidays of country"), max_length=2, blank=True,
        help_text=_("ISO 3166 country code, e.g. US, GB, DE; blank for none."),
    )
    holiday_subdivision = models.CharField(_("state or region"), max_length=10, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = RecordedHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("support calendar")
        verbose_name_plural = _("support calendars")

    def __str__(self) -> str:
        return self.name


class CustomHoliday(models.Model):
    calendar = models.ForeignKey(SupportCalendar, on_delete=models.CASCADE, related_name="custom_holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=120, blank=True)
    history = RecordedHistory()

    class Meta:
        ordering = ["date"]
        verbose_name = _("custom holiday")
        verbose_name_plural = _("custom holidays")
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="custom_holiday_once")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}".strip()


class MilestoneKind(models.TextChoices):
    RESPONSE = "response", _("Response")
    RESTORATION = "restoration", _("Restoration")
    RESOLUTION = "resolution", _("Resolution")


class TargetUnit(models.TextChoices):
    WALL_MINUTES = "wall_minutes", _("minutes, wall-clock (24x7)")
    BUSINESS_MINUTES = "business_minutes", _("business minutes")
    BUSINESS_DAYS = "business_days", _("business days")
    NONE = "none", _("no target (n/a)")


class SlaPolicy(models.Model):
    class Scope(models.TextChoices):
        PACKAGE = "package", _("Support package")
        ADMIN = "admin", _("Admin cases")
        PLATFORM = "platform", _("Platform-level incidents")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    scope = models.CharField(_("applies to"), max_length=20, choices=Scope.choices, default=Scope.PACKAGE)
    support_package = models.CharField(
        _("support package"), max_length=20, choices=SupportPackage.choices, blank=True
    )
    warn_at_share = models.DecimalField(
        _("warn when this share of the time has passed"), max_digits=4, decimal_places=3, default=0.75,
    )
    notify_reseller_on_breach = models.BooleanField(
        _("tell the reseller's Designated Contacts about breaches"), default=True
    )
    pause_restoration_when_awaiting_reseller = models.BooleanField(
        _("pause restoration while the case waits on the reseller"), default=False
    )
    history = RecordedHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(
                fields=["support_package"], condition=Q(scope="package"), name="one_policy_per_package"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="targets")
    severity = models.PositiveSmallIntegerField(_("severity"), choices=[(1, "1"), (2, "2"), (3, "3"), (4, "4")])
    kind = models.CharField(_("milestone"), max_length=20, choices=MilestoneKind.choices)
    unit = models.CharField(_("unit"), max_length=20, choices=TargetUnit.choices)
    amount = models.PositiveIntegerField(_("amount"), default=0)
    history = RecordedHistory()

    class Meta:
        ordering = ["policy", "severity", "kind"]
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        constraints = [
            models.UniqueConstraint(fields=["policy", "severity", "kind"], name="one_target_per_cell"),
        ]

    def __str__(self) -> str:
        if self.unit == TargetUnit.NONE:
            return f"{self.get_kind_display()} S{self.severity}: n/a"
        return f"{self.get_kind_display()} S{self.severity}: {self.amount} {self.get_unit_display()}"


class SlaTargetChange(models.Model):
    """The record of an edit to a target: it applies to milestones created after it."""

    target = models.ForeignKey(SlaTarget, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    old_value = models.CharField(max_length=120)
    new_value = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("SLA target change")
        verbose_name_plural = _("SLA target changes")

    def __str__(self) -> str:
        return f"{self.target_id}: {self.old_value} -> {self.new_value}"
