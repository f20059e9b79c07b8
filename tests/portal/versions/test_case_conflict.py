"""Two staff on one case: a save from a form opened before the other's save saves nothing, shows
who changed what, keeps what was typed, and goes through once confirmed on the fresh data."""

from __future__ import annotations

import pytest

from cases.models import Case, Reply, Status
from portal.admin_versions import VERSION_FIELD
from tests.admin_forms import change_form_data
from tests.cases.factories import CaseFactory
from tests.portal.versions.conftest import notices_of, version_on

pytestmark = pytest.mark.django_db


def test_a_stale_case_form_saves_nothing_until_confirmed(two_staff):
    (ann, ann_client), (ben, ben_client) = two_staff
    case = CaseFactory(status=Status.NEW)
    url = f"/admin/cases/case/{case.pk}/change/"
    ann_form = change_form_data(ann_client, url)  # Ann opens the page...
    ben_form = change_form_data(ben_client, url)
    ben_form["status"] = Status.AWAITING_RESELLER  # ...Ben saves a status change...
    assert ben_client.post(url, ben_form).status_code == 302

    # ...and Ann, who only typed a reply and an assignee, saves her old page.
    ann_form["assignee"] = str(ann.pk)
    ann_form["replies-0-body"] = "Ann's reply, typed before Ben's save"
    response = ann_client.post(url, ann_form)

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.AWAITING_RESELLER and case.assignee is None
    assert not Reply.objects.filter(case=case).exists()
    page = response.content.decode()
    assert "Someone else saved this page after you opened it" in page
    notices = notices_of(response)
    assert any(f"{ben}: Status changed: New" in notice for notice in notices), notices  # who changed what
    assert "Ann&#x27;s reply, typed before Ben&#x27;s save" in page  # her typing stays on screen
    form = response.context["adminform"].form
    assert form["assignee"].value() == str(ann.pk)
    assert form["status"].value() == Status.AWAITING_RESELLER  # untouched by Ann: the stored value

    # Ann confirms on the fresh data: her changes are saved, Ben's status stays.
    confirmed = {**ann_form, "status": form["status"].value(), VERSION_FIELD: version_on(page)}
    assert ann_client.post(url, confirmed).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.AWAITING_RESELLER and case.assignee == ann
    assert Reply.objects.get(case=case).body == "Ann's reply, typed before Ben's save"


def test_of_two_saves_with_one_version_only_the_first_wins(two_staff):
    (_, ann_client), (_, ben_client) = two_staff
    case = CaseFactory(status=Status.NEW)
    url = f"/admin/cases/case/{case.pk}/change/"
    opened = change_form_data(ann_client, url)  # both send the version of one page
    first = ann_client.post(url, {**opened, "status": Status.IN_PROGRESS})
    second = ben_client.post(url, {**opened, "status": Status.AWAITING_RESELLER})
    assert (first.status_code, second.status_code) == (302, 200)
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS


def test_a_forged_version_is_a_conflict_not_an_error(client_for, staff):
    case = CaseFactory(status=Status.NEW)
    url = f"/admin/cases/case/{case.pk}/change/"
    data = change_form_data(client_for(staff), url)
    response = client_for(staff).post(url, {**data, "status": Status.IN_PROGRESS, VERSION_FIELD: "junk"})
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).status == Status.NEW


def test_an_untouched_page_saves_without_a_conflict(client_for, staff):
    case = CaseFactory(status=Status.NEW)
    url = f"/admin/cases/case/{case.pk}/change/"
    client = client_for(staff)
    assert client.post(url, {**change_form_data(client, url), "status": Status.IN_PROGRESS}).status_code == 302
    assert client.post(url, {**change_form_data(client, url), "status": Status.RESOLVED}).status_code in (302,)
