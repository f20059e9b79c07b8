"""The beat entry point of the staged-upload clean-up (cases.intake.staging)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def purge_staged_uploads() -> int:
    from django.utils import timezone

    from cases.intake.staging import staged_uploads_purge

    return staged_uploads_purge(now=timezone.now())
