"""Maintenance windows (Support Guide 3, Table 2): planned recurring windows per cloud service,
reschedule requests, per-reseller calendar feeds and unplanned maintenance notices.

Imported from sla/models.py so Django finds the models in the `sla` app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.audit.history import RecordedHistory
from portal.models import validate_time_zone
from portal.tenancy.querysets import tenant_queryset

WEEKDAY_NAMES = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"),
                 _("Sunday")]


class MaintenanceRule(models.Model):
    """One recurring planned window: on these weekdays, from start to end local time.

    An end at or before the start means the window crosses midnight and ends on the next local day;
    the window belongs to the weekday it starts on.
    """

    service = models.ForeignKey(
        "portal.CloudService", on_delete=models.CASCADE, related_name="maintenance_rules",
        verbose_name=_("cloud service"),
    )
    weekdays = models.JSONField(
        _("weekdays"), default=list, help_text=_("Weekdays the window starts on, 0 = Monday ... 6 = Sunday."),
    )
    start_time = models.TimeField(_("starts (local time)"))
    end_time = models.TimeField(
        _("ends (local time)"), help_text=_("At or before the start: the window ends the next day."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone],
        help_text=_("Blank when the window follows the end user's local time."),
    )
    in_end_user_time = models.BooleanField(
        _("in the end user's local time"), default=False,
        help_text=_("The window follows each end-user account's time zone."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = RecordedHistory()

    class Meta:
        ordering = ["service__name", "id"]
        verbose_name = _("planned maintenance window")
        verbose_name_plural = _("planned maintenance windows")

    def __str__(self) -> str:
        days = ", ".join(str(WEEKDAY_NAMES[day]) for day in self.weekdays if 0 <= day <= 6)
        zone = _("end user's local time") if self.in_end_user_time else self.time_zone
        return f"{self.service}: {days} {self.start_time:%H:%M}-{self.end_time:%H:%M} ({zone})"

    def clean(self) -> None:
        if (not isinstance(self.weekdays, list) or not self.weekdays
                or any(not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6
                       for day in self.weekdays)):
            raise ValidationError({"weekdays": _("List weekdays as numbers 0 (Monday) to 6 (Sunday).")})
        self.weekdays = sorted(set(self.weekdays))
        if self.in_end_user_time and self.time_zone:
            raise ValidationError({"time_zone": _("Leave the time zone blank for end-user local time.")})
        if not self.in_end_user_time and not self.time_zone:
            raise ValidationError({"time_zone": _("Choose a time zone, or use the end user's local time.")})


class MaintenanceFeed(models.Model):
    """A reseller's iCalendar subscription: the token is the only credential; blank = revoked."""

    reseller = models.OneToOneField(
        "portal.Reseller", on_delete=models.CASCADE, related_name="maintenance_feed", verbose_name=_("reseller"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    # Whose token it is: ending that person's access revokes it (portal.tenancy.users.user_access_end).
    token_created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("token made by"),
    )

    class Meta:
        verbose_name = _("maintenance calendar feed")
        verbose_name_plural = _("maintenance calendar feeds")

    def __str__(self) -> str:
        return str(self.reseller)


class RescheduleRequest(models.Model):
    """A Designated Contact asks, for an end user, to move one occurrence of a planned window."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting Customer Care")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    account = models.ForeignKey(
        "portal.EndUserAccount", on_delete=models.CASCADE, related_name="maintenance_reschedules",
        verbose_name=_("end-user account"),
    )
    rule = models.ForeignKey(
        MaintenanceRule, on_delete=models.PROTECT, related_name="reschedule_requests",
        verbose_name=_("planned window"),
    )
    occurrence_start = models.DateTimeField(_("window starts"))
    occurrence_end = models.DateTimeField(_("window ends"))
    proposed_start = models.DateTimeField(_("proposed start"))
    proposed_end = models.DateTimeField(_("proposed end"))
    reason = models.TextField(_("business reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = tenant_queryset("account__reseller").as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("maintenance reschedule request")
        verbose_name_plural = _("maintenance reschedule requests")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "rule", "occurrence_start"], condition=Q(status="pending"),
                name="one_pending_reschedule_per_occurrence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.occurrence_start:%Y-%m-%d %H:%M} UTC"


class UnplannedMaintenance(models.Model):
    """Unplanned maintenance announced to resellers with an affected account."""

    services = models.ManyToManyField(
        "portal.CloudService", related_name="unplanned_maintenance", verbose_name=_("cloud services"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("expected end"))
    description = models.TextField(_("description"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("announced by"),
    )
    created_at = models.DateTimeField(_("announced"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("unplanned maintenance")
        verbose_name_plural = _("unplanned maintenance")
        indexes = [models.Index(fields=["ends_at"], name="unplanned_maintenance_end")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC: {self.description[:60]}"


class UnplannedNoticeDelivery(models.Model):
    """One row per (notice, contact): the unique constraint is what makes the email go out once."""

    notice = models.ForeignKey(UnplannedMaintenance, on_delete=models.CASCADE, related_name="deliveries")
    contact = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reseller = models.ForeignKey("portal.Reseller", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("unplanned maintenance email")
        verbose_name_plural = _("unplanned maintenance emails")
        constraints = [
            models.UniqueConstraint(fields=["notice", "contact"], name="one_unplanned_notice_per_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} -> {self.email}"
