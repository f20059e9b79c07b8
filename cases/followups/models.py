"""After a serious outage (Support Guide 2): the post-mortem meeting and the incident report."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.intake.models import Case, Severity
from portal.tenancy.querysets import tenant_queryset


class FollowUpAlertFields(models.Model):
    """Due-time alerts for Care, sent once each by the beat sweep (conditional UPDATE on next_alert_at)."""

    due_at = models.DateTimeField(_("due"))
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned"), null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(_("overdue alert sent"), null=True, blank=True)
    next_alert_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class PostMortem(FollowUpAlertFields):
    class Status(models.TextChoices):
        AWAITING_SCHEDULE = "awaiting_schedule", _("To be scheduled")
        SCHEDULED = "scheduled", _("Scheduled")
        COMPLETED = "completed", _("Held")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="post_mortem")
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    service_resolved_at = models.DateTimeField(_("service resolution"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_SCHEDULE
    )
    meeting_at = models.DateTimeField(_("meeting time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=60)
    location = models.CharField(_("where"), max_length=300, blank=True)
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("One email address per line."))
    ics_uid = models.CharField(max_length=100, unique=True, default=uuid.uuid4, editable=False)
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)
    minutes = models.TextField(_("minutes"), blank=True)
    root_cause_analysis = models.TextField(
        _("root cause analysis"), blank=True, help_text=_("Required before a Critical post-mortem is complete.")
    )
    not_applicable_reason = models.TextField(_("why no post-mortem"), blank=True)
    completed_at = models.DateTimeField(_("held"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = tenant_queryset("case__reseller").as_manager()

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("post-mortem")
        verbose_name_plural = _("post-mortems")
        indexes = [
            # Used by the follow-up sweep (cases.followups.sweep.sweep_followups).
            models.Index(fields=["next_alert_at"], name="postmortem_alert_due",
                         condition=Q(next_alert_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} post-mortem"


class IncidentReport(FollowUpAlertFields):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PUBLISHED = "published", _("Published")

    post_mortem = models.OneToOneField(PostMortem, on_delete=models.CASCADE, related_name="incident_report")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    coverage_request = models.TextField(_("what the reseller wants covered"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    outage_explanation = models.TextField(_("what happened"), blank=True)
    timeline = models.TextField(_("timeline"), blank=True)
    root_causes = models.TextField(_("root causes"), blank=True)
    remediation_steps = models.TextField(_("steps to address the root causes"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = tenant_queryset("post_mortem__case__reseller").as_manager()

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        indexes = [
            models.Index(fields=["next_alert_at"], name="incidentreport_alert_due",
                         condition=Q(next_alert_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.post_mortem.case.number} incident report"
