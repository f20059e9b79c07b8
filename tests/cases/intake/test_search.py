"""The search indexes change how cases are found, never which: both backends, both searches.

The references below are the searches as they were before the trigram indexes: the portal's Q
object verbatim, and Django admin's own search over the same search_fields. The suite runs on
SQLite by default and on PostgreSQL when DATABASE_URL names it (CI), so both backends are held
to the same answers.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.db.models import Q
from django.test import RequestFactory

from cases.intake.search import case_search_admin, case_search_portal
from cases.models import Case
from tests.cases.factories import CaseFactory
from tests.portal.factories import EndUserAccountFactory

pytestmark = pytest.mark.django_db

TERMS = ["cs-100001", "CS-10000", "voicemail", "VOICEMAIL", "queue grows", "Transcri", "north", "Harbor",
         "harbor voice", '"cannot log"', "no such words", "  spaced  ", "ü", "1"]


def old_portal_search(value: str) -> set[str]:
    value = value.strip()
    cases = Case.objects.all()
    if value:
        cases = cases.filter(
            Q(number__iexact=value) | Q(subject__icontains=value) | Q(business_impact__icontains=value)
            | Q(what_went_wrong__icontains=value)
        )
    return set(cases.values_list("number", flat=True))


def django_admin_search(term: str) -> set[str]:
    reference = admin.ModelAdmin(Case, admin.site)
    reference.search_fields = ("number", "subject", "account__name", "reseller__name")
    found, _ = reference.get_search_results(RequestFactory().get("/"), Case.objects.all(), term)
    return set(found.values_list("number", flat=True))


@pytest.fixture
def cases(account):  # type: ignore[no-untyped-def]
    harbor = EndUserAccountFactory(name="Harbor Freight", reseller__name="Northwind Voice")
    return [
        CaseFactory(account=account, subject="Inbound voicemail is not transcribed"),
        CaseFactory(account=account, subject="Agents cannot log in", business_impact="The QUEUE grows."),
        CaseFactory(account=account, subject="Reports late", what_went_wrong="Voicemail transcription stopped."),
        CaseFactory(account=harbor, subject="Wallboard is blank", business_impact="Supervisors see nothing ü."),
        CaseFactory(account=harbor, subject="Harbor voice prompts missing"),
    ]


@pytest.mark.parametrize("term", TERMS)
def test_portal_search_finds_what_it_found_before(cases, term):  # type: ignore[no-untyped-def]
    found = set(case_search_portal(Case.objects.all(), term).values_list("number", flat=True))
    assert found == old_portal_search(term)


@pytest.mark.parametrize("term", TERMS)
def test_admin_search_finds_what_django_admin_found(cases, term):  # type: ignore[no-untyped-def]
    found = set(case_search_admin(Case.objects.all(), term).values_list("number", flat=True))
    assert found == django_admin_search(term)


def test_the_searches_find_by_each_field(cases):  # type: ignore[no-untyped-def]
    voicemail, agents, reports, wallboard, prompts = cases

    def portal(term: str) -> set[Case]:
        return set(case_search_portal(Case.objects.all(), term))

    def care(term: str) -> set[Case]:
        return set(case_search_admin(Case.objects.all(), term))

    assert portal(voicemail.number.lower()) == {voicemail}  # the exact number, any case
    assert portal("VOICEMAIL") == {voicemail, reports}  # subject, what went wrong
    assert portal("queue GROWS") == {agents}  # business impact
    assert care("harbor") == {wallboard, prompts}  # the account's name, and a subject
    assert care("harbor PROMPTS") == {prompts}  # every word, each in some field
    assert care('"cannot log"') == {agents}


@pytest.mark.services
@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
def test_postgresql_answers_the_searches_from_the_trigram_indexes(cases):  # type: ignore[no-untyped-def]
    # Unordered, as the pages' counts ask: the count is the part that reads every match.
    unordered = Case.objects.order_by()
    portal_sql, portal_params = case_search_portal(unordered, "voicemail").query.sql_with_params()
    admin_sql, admin_params = case_search_admin(unordered, "voicemail").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a five-row table would be scanned anyway
        plans = []
        for sql, params in ((portal_sql, portal_params), (admin_sql, admin_params)):
            cursor.execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert all("case_subject_trgm" in plan for plan in plans), plans
    assert "case_what_went_wrong_trgm" in plans[0] and "case_business_impact_trgm" in plans[0]
    assert "case_number_trgm" in plans[1]
