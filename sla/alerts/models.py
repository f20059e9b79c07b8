"""The record of each alert raised: unique per (milestone, level), so it is raised once."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from sla.clocks.models import Milestone


class MilestoneAlert(models.Model):
    """One alert per (milestone, level): the unique row is what makes the sweep send exactly once."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="alerts")
    level = models.CharField(max_length=10, choices=Milestone.AlertLevel.choices)
    target_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "level"], name="one_alert_per_milestone_level"),
        ]
        indexes = [
            # Used by the sweep's re-queue of alerts whose delivery never happened.
            models.Index(fields=["created_at"], name="milestone_alert_unsent", condition=Q(sent_at__isnull=True)),
        ]
