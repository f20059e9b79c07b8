"""A double click sends one POST twice: the second is a message on the page, never a 500 or a
second copy."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from cases.models import FeatureVote, IncidentReport, Reply, SeverityRequest
from cases.requests.features import services as features
from cases.requests.remote_access import services as remote_access
from portal.models import CloudService
from tests.cases.factories import CaseFactory
from tests.cases.followups.postmortem_helpers import held_post_mortem, utc

pytestmark = pytest.mark.django_db


def _twice(client, url: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    return first, second, [str(message) for message in get_messages(second.wsgi_request)]


def test_requesting_an_incident_report_twice_says_it_was_already_requested(staff, reseller, contact, client_for):
    post_mortem = held_post_mortem(staff=staff, reseller=reseller, meeting_at=utc(2025, 3, 14, 14, 0))
    url = f"/post-mortems/{post_mortem.case.number}/incident-report/"
    first, second, _ = _twice(client_for(contact.user), url, {"coverage_request": "Everything."})
    assert first.status_code == 302 and second.status_code == 200
    assert "An incident report was already requested for this case." in second.content.decode()
    assert IncidentReport.objects.count() == 1


def test_sending_a_reply_twice_sends_it_once(contact, client_for):
    case = CaseFactory(account__reseller=contact.reseller)
    first, second, _ = _twice(client_for(contact.user), f"/cases/{case.number}/reply/", {"body": "Still down."})
    assert first.status_code == 302 and second.status_code == 200
    assert "This message was already sent." in second.content.decode()
    assert Reply.objects.filter(case=case).count() == 1


def test_asking_for_a_severity_change_twice_is_a_message(contact, client_for):
    case = CaseFactory(account__reseller=contact.reseller, severity=3, priority=3)
    client = client_for(contact.user)
    data = {"severity": "2", "reason": "More agents affected now."}
    assert client.post(f"/cases/{case.number}/severity-request/", data).status_code == 302
    again = client.post(f"/cases/{case.number}/severity-request/", data)
    assert again.status_code == 400
    assert "A severity request is already awaiting Customer Care on this case." in again.content.decode()
    assert SeverityRequest.objects.filter(case=case).count() == 1


def test_approving_remote_access_twice_is_a_message(staff, contact, client_for):
    case = CaseFactory(account__reseller=contact.reseller)
    remote_access.remote_access_request_create(case=case, actor=staff, reason="Check the SBC logs.")
    first, second, _ = _twice(client_for(contact.user), f"/cases/{case.number}/remote-access/",
                              {"decision": "approve"})
    assert first.status_code == 302 and second.status_code == 200
    assert "There is no remote access request to answer on this case." in second.content.decode()


def test_voting_twice_counts_one_vote(contact, client_for):
    feature = features.feature_submit(contact=contact.user, title="Dark mode", problem="Eyes hurt.",
                                      service=CloudService.objects.first(), business_value="Happier agents.")
    first, second, _ = _twice(client_for(contact.user), f"/requests/features/{feature.pk}/vote/", {})
    assert first.status_code == 302 and second.status_code == 200
    assert "You have already voted for this request." in second.content.decode()
    assert FeatureVote.objects.filter(feature=feature).count() == 1


def test_submitting_the_new_case_form_twice_opens_one_case(contact, client_for, intake_post):
    from cases.models import Case

    first, second, notes = _twice(client_for(contact.user), "/cases/new/", intake_post)
    assert first.status_code == 302 and second.status_code == 200
    case = Case.objects.get()
    assert second.redirect_chain[-1][0] == f"/cases/{case.number}/"
    assert f"This case was already submitted as {case.number}." in notes
