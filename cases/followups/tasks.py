"""The beat entry point of the follow-up sweep. Its emails are outbox rows (portal.notify)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def sweep_followups() -> int:
    from cases.followups.sweep import sweep_followups as sweep

    return sweep()
