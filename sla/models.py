"""The sla app's models, defined in its topic packages and collected here for Django."""

from __future__ import annotations

from sla.alerts.models import MilestoneAlert
from sla.clocks.models import Milestone, MilestonePause, MilestoneQuerySet
from sla.maintenance.models import (
    MaintenanceFeed,
    MaintenanceRule,
    RescheduleRequest,
    UnplannedMaintenance,
    UnplannedNoticeDelivery,
)
from sla.targets.models import (
    DEFAULT_WEEKLY_HOURS,
    CustomHoliday,
    MilestoneKind,
    SlaPolicy,
    SlaTarget,
    SlaTargetChange,
    SupportCalendar,
    TargetUnit,
)

__all__ = [
    "DEFAULT_WEEKLY_HOURS", "CustomHoliday", "MaintenanceFeed", "MaintenanceRule", "Milestone",
    "MilestoneAlert", "MilestoneKind", "MilestonePause", "MilestoneQuerySet", "RescheduleRequest",
    "SlaPolicy", "SlaTarget", "SlaTargetChange", "SupportCalendar", "TargetUnit",
    "UnplannedMaintenance", "UnplannedNoticeDelivery",
]
