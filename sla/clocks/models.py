"""Each case's SLA milestones: one deadline per (case, kind), superseded rather than edited."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sla.targets.models import MilestoneKind, SlaPolicy, SupportCalendar, TargetUnit


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    def current(self) -> MilestoneQuerySet:
        return self.filter(superseded_at__isnull=True)

    def unmet(self) -> MilestoneQuerySet:
        return self.current().filter(achieved_at__isnull=True, target_at__isnull=False)

    def due_for_alert(self, now: object) -> MilestoneQuerySet:
        # Served by the partial index milestone_alert_due: only rows with an alert still to send.
        return self.filter(next_alert_at__isnull=False, next_alert_at__lte=now)


class Milestone(models.Model):
    """One deadline of one case, with how it was computed. Re-targeting supersedes, never edits."""

    class AlertLevel(models.TextChoices):
        WARNING = "warning", _("At risk")
        BREACH = "breach", _("Breached")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=20, choices=MilestoneKind.choices)
    policy = models.ForeignKey(SlaPolicy, on_delete=models.PROTECT, related_name="+")
    severity = models.PositiveSmallIntegerField(_("severity"))
    calendar = models.ForeignKey(SupportCalendar, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(_("unit"), max_length=20, choices=TargetUnit.choices)
    amount = models.PositiveIntegerField(_("amount"))
    started_at = models.DateTimeField(_("clock started"))
    target_at = models.DateTimeField(_("target"), null=True, blank=True)
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True)
    next_alert_at = models.DateTimeField(null=True, blank=True, editable=False)
    warned_at = models.DateTimeField(_("warned"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    achieved_at = models.DateTimeField(_("met"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("re-targeted"), null=True, blank=True)
    superseded_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["case", "kind", "created_at", "id"]
        verbose_name = _("SLA milestone")
        verbose_name_plural = _("SLA milestones")
        indexes = [
            # Used by sla.alerts.sweep: the beat task's range query touches only rows with an alert
            # still due, so an idle tick costs the same with a million open milestones.
            models.Index(
                fields=["next_alert_at"], name="milestone_alert_due",
                condition=Q(next_alert_at__isnull=False),
            ),
            models.Index(fields=["case", "kind"], name="milestone_case_kind"),
            # The queue's "at risk" filter (sla.clocks.queue.at_risk): running milestones whose
            # target is still ahead are few however many cases there are.
            models.Index(
                fields=["target_at"], name="milestone_running_target",
                condition=Q(superseded_at__isnull=True, achieved_at__isnull=True, paused_at__isnull=True,
                            target_at__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(superseded_at__isnull=True),
                name="one_current_milestone_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target_at or 'n/a'}"

    @property
    def is_open(self) -> bool:
        return self.achieved_at is None and self.superseded_at is None and self.target_at is not None


class MilestonePause(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.milestone_id}: {self.started_at} - {self.ended_at or '...'}"
