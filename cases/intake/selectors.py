"""Reads that views share. Every one starts from `visible_to(user)`, so scoping cannot be forgotten."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from cases.intake.filters import CaseFilter
from cases.models import Attachment, Case, CaseEvent, CaseQuerySet, Reply
from portal.access import is_care_staff, one_or_404, require_designated_contact
from portal.models import EndUserAccount


def case_filter_for(user: Any, params: Any) -> CaseFilter:
    return CaseFilter(
        params, queryset=Case.objects.visible_to(user).for_list(),
        accounts=EndUserAccount.objects.visible_to(user),
    )


def open_cases_for(user: Any) -> QuerySet[Case]:
    return Case.objects.visible_to(user).open().for_list()


def case_timeline(case: Case, viewer: Any) -> list[CaseEvent]:
    events = case.events.select_related("actor", "reply__author", "attachment")
    if not is_care_staff(viewer):
        events = events.filter(internal=False)
    return list(events)


def case_public_replies(case: Case) -> QuerySet[Reply]:
    return case.replies.public().select_related("author")


def case_with_details(queryset: CaseQuerySet) -> CaseQuerySet:
    return queryset.select_related("account", "service", "opened_by", "assignee").prefetch_related(
        Prefetch("attachments")
    ).with_current_milestones()


def case_for(user: Any, number: str, queryset: CaseQuerySet | None = None) -> Case:
    """One case the user may see; another reseller's is a 404 exactly like a missing one."""
    base = Case.objects.all() if queryset is None else queryset
    return one_or_404(base.visible_to(user), "case", number=number)


def case_for_update(user: Any, number: str) -> Case:
    """Looks the case up first (404 for another reseller's), then requires write permission."""
    case = case_for(user, number)
    require_designated_contact(user)
    return case


def attachment_for(user: Any, number: str, attachment_id: int) -> Attachment:
    case = case_for(user, number)
    return one_or_404(case.attachments.all(), "attachment", pk=attachment_id)
