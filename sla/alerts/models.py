"""The record of each alert raised: unique per (milestone, level), so it is raised once."""

from __future__ import annotations

from django.db import models

from sla.clocks.models import Milestone


class MilestoneAlert(models.Model):
    """One alert per (milestone, level): the unique row is what makes the sweep raise it once; its
    emails are outbox rows (portal.notify) written in the same transaction."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="alerts")
    level = models.CharField(max_length=10, choices=Milestone.AlertLevel.choices)
    target_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    # When its emails were handed to the outbox (the same transaction as the claim), not when an
    # SMTP server accepted them: the outbox rows (dedupe key "milestone-alert:<pk>") say that.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "level"], name="one_alert_per_milestone_level"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} of milestone {self.milestone_id}"
