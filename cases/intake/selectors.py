"""Reads that views share. Every one starts from portal.access, so scoping cannot be forgotten."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from cases.intake.filters import CaseFilter
from cases.models import Case, CaseEvent, Reply
from portal.access import accounts_visible_to, cases_visible_to, is_care_staff


def case_filter_for(user: Any, params: Any) -> CaseFilter:
    return CaseFilter(
        params, queryset=cases_visible_to(user).for_list(), accounts=accounts_visible_to(user)
    )


def open_cases_for(user: Any) -> QuerySet[Case]:
    return cases_visible_to(user).open().for_list()


def case_timeline(case: Case, viewer: Any) -> list[CaseEvent]:
    events = case.events.select_related("actor", "reply__author", "attachment")
    if not is_care_staff(viewer):
        events = events.filter(internal=False)
    return list(events)


def case_public_replies(case: Case) -> QuerySet[Reply]:
    return case.replies.public().select_related("author")


def case_with_details(queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset.select_related("account", "service", "opened_by", "assignee").prefetch_related(
        Prefetch("attachments")
    ).with_current_milestones()
