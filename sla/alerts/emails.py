"""Who hears about an SLA warning or breach, and what they read."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from cases.intake.emails import care_recipients, designated_contact_emails
from portal.emails import build_email
from sla.alerts.models import MilestoneAlert
from sla.clocks.models import Milestone
from sla.targets.deadlines import describe


def alert_messages(alert: MilestoneAlert) -> list[EmailMultiAlternatives]:
    milestone = alert.milestone
    case = milestone.case
    context = {
        "case": case, "milestone": milestone, "alert": alert,
        "is_breach": alert.level == Milestone.AlertLevel.BREACH,
        "target_text": describe(milestone.unit, milestone.amount),
        "care_phone": settings.CARE_PHONE,
    }
    messages = [build_email("sla_alert_staff", context, care_recipients(case))]
    if alert.level == Milestone.AlertLevel.BREACH and milestone.policy.notify_reseller_on_breach:
        contacts = designated_contact_emails(case.reseller_id)
        if contacts:
            messages.append(build_email("sla_breach_reseller", context, contacts))
    return messages
