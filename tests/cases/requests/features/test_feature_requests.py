"""Feature requests: status emails, publishing with public text only, one vote per contact across
resellers, merging duplicates (votes carried over), and access to the pages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.models import FeatureRequest, FeatureVote
from cases.requests.features import services as features
from tests.cases.requests.helpers import mailed_to, service, without_csrf
from tests.portal.factories import DesignatedContactFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PRIVATE_TITLE = "Northwind: bulk agent import for Contoso"
PRIVATE_PROBLEM = "The 400 Contoso agents at Acme Street must be added by hand"
PUBLIC_TITLE = "Bulk agent import"
PUBLIC_SUMMARY = "Import agents from a CSV file."


def _submit(contact, title: str = PRIVATE_TITLE) -> FeatureRequest:  # type: ignore[no-untyped-def]
    return features.feature_submit(
        contact=contact.user,
        title=title,
        problem=PRIVATE_PROBLEM,
        service=service("premier-edition"),
        business_value="Saves 3 days a month.",
    )


@pytest.fixture
def feature(contact) -> FeatureRequest:  # type: ignore[no-untyped-def]
    return _submit(contact)


@pytest.fixture
def published(feature, staff) -> FeatureRequest:  # type: ignore[no-untyped-def]
    return features.feature_publish(
        feature=feature, actor=staff, public_title=PUBLIC_TITLE, public_summary=PUBLIC_SUMMARY
    )


@pytest.fixture
def other_reader(other_contact):  # type: ignore[no-untyped-def]
    return MembershipFactory(reseller=other_contact.reseller, user__username="fay")


def test_submit_emails_care_and_status_changes_email_the_reseller(
    contact, second_contact, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        feature = _submit(contact)
    assert feature.status == "submitted"
    assert mailed_to() == [settings.CARE_QUEUE_EMAIL]
    for status, label in (
        ("under_review", "Under review"),
        ("planned", "Planned"),
        ("delivered", "Delivered"),
        ("declined", "Declined"),
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            features.feature_update(
                feature=feature, actor=staff, status=status, comment=f"Now {status}."
            )
        # One message per Designated Contact.
        assert sorted(mailed_to()) == sorted([contact.user.email, second_contact.user.email])
        for message in mail.outbox:
            assert label in message.subject and f"Now {status}." in message.body
    assert feature.events.filter(kind="status").count() == 4
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # nothing changed: no email
        assert features.feature_update(feature=feature, actor=staff, status="declined") is None
    assert not mail.outbox
    with pytest.raises(PermissionDenied):
        features.feature_update(feature=feature, actor=contact.user, status="planned")


def test_unpublished_is_invisible_to_other_resellers(client_for, feature, other_contact):
    assert not FeatureRequest.objects.visible_to(other_contact.user).exists()
    client = client_for(other_contact.user)
    foreign = client.get(f"/requests/features/{feature.pk}/")
    missing = client.get(f"/requests/features/{feature.pk + 1000}/")
    assert foreign.status_code == missing.status_code == 404
    assert without_csrf(foreign.content) == without_csrf(missing.content)
    assert client.post(f"/requests/features/{feature.pk}/vote/").status_code == 404
    assert PRIVATE_TITLE not in client.get("/requests/features/").content.decode()
    with pytest.raises(PermissionDenied):
        features.feature_vote(feature=feature, contact=other_contact.user)
    assert not FeatureVote.objects.exists()


def test_publishing_needs_public_text(feature, staff):
    with pytest.raises(ValidationError):
        features.feature_publish(feature=feature, actor=staff, public_title=" ", public_summary="x")
    feature.refresh_from_db()
    assert not feature.is_published


@pytest.mark.parametrize("path", ["/requests/features/", "/requests/features/{pk}/"])
def test_published_shows_only_public_text_to_others(
    path, client_for, published, other_contact, other_reader
):
    for user in (other_contact.user, other_reader.user):
        body = client_for(user).get(path.format(pk=published.pk)).content.decode()
        assert PUBLIC_TITLE in body
        assert PRIVATE_TITLE not in body and PRIVATE_PROBLEM not in body
        assert "Saves 3 days" not in body and published.requested_by.get_full_name() not in body
        assert published.reseller.name not in body  # not even whose request it is


def test_own_reseller_sees_its_private_text(client_for, published, reader):
    body = client_for(reader.user).get(f"/requests/features/{published.pk}/").content.decode()
    assert PRIVATE_TITLE in body and PRIVATE_PROBLEM in body and PUBLIC_SUMMARY in body
    assert PRIVATE_TITLE in client_for(reader.user).get("/requests/features/").content.decode()


def test_one_vote_per_contact_across_resellers(
    client_for, published, contact, second_contact, other_contact
):
    third = DesignatedContactFactory(reseller=other_contact.reseller, user__username="erik")
    for membership in (contact, second_contact, other_contact, third):
        response = client_for(membership.user).post(f"/requests/features/{published.pk}/vote/")
        assert response.status_code == 302
    assert published.votes.count() == 4
    client_for(other_contact.user).post(
        f"/requests/features/{published.pk}/vote/"
    )  # again: refused
    assert published.votes.count() == 4
    with pytest.raises(ValidationError):
        features.feature_vote(feature=published, contact=other_contact.user)
    body = (
        client_for(other_contact.user).get(f"/requests/features/{published.pk}/").content.decode()
    )
    assert "You voted for this request." in body


def test_reader_cannot_vote_or_submit(client_for, published, reader, other_reader):
    for membership in (reader, other_reader):
        client = client_for(membership.user)
        assert client.post(f"/requests/features/{published.pk}/vote/").status_code == 403
        assert client.get("/requests/features/new/").status_code == 403
        assert client.post("/requests/features/new/", {"title": "x"}).status_code == 403
    assert not FeatureVote.objects.exists()
    assert FeatureRequest.objects.count() == 1


def test_unpublishing_hides_it_again(client_for, published, staff, other_contact):
    features.feature_unpublish(feature=published, actor=staff)
    assert (
        client_for(other_contact.user).get(f"/requests/features/{published.pk}/").status_code == 404
    )


def test_merge_carries_votes_once_each(staff, contact, second_contact, other_contact):
    survivor = features.feature_publish(
        feature=_submit(contact, "Original"),
        actor=staff,
        public_title="Bulk import",
        public_summary="CSV import.",
    )
    duplicate = features.feature_publish(
        feature=_submit(contact, "Duplicate"),
        actor=staff,
        public_title="Import agents",
        public_summary="Same thing.",
    )
    features.feature_vote(feature=survivor, contact=contact.user)
    features.feature_vote(feature=duplicate, contact=contact.user)  # voted for both: keeps one vote
    features.feature_vote(feature=duplicate, contact=second_contact.user)
    features.feature_vote(feature=duplicate, contact=other_contact.user)
    features.feature_merge(duplicate=duplicate, survivor=survivor, actor=staff)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor and not duplicate.is_published
    assert set(survivor.votes.values_list("voter", flat=True)) == {
        contact.user.pk,
        second_contact.user.pk,
        other_contact.user.pk,
    }
    assert not duplicate.votes.exists()
    with pytest.raises(ValidationError):
        features.feature_vote(feature=duplicate, contact=contact.user)
    with pytest.raises(ValidationError):
        features.feature_merge(duplicate=survivor, survivor=survivor, actor=staff)
    with pytest.raises(PermissionDenied):
        features.feature_merge(duplicate=survivor, survivor=duplicate, actor=contact.user)


def test_merged_request_points_to_the_survivor(
    client_for, staff, contact, django_capture_on_commit_callbacks
):
    survivor, duplicate = _submit(contact, "Original"), _submit(contact, "Duplicate")
    with django_capture_on_commit_callbacks(execute=True):
        features.feature_merge(duplicate=duplicate, survivor=survivor, actor=staff)
    assert mailed_to()[-1] == contact.user.email and survivor.reference in mail.outbox[-1].body
    client = client_for(contact.user)
    body = client.get(reverse("feature_detail", args=[duplicate.pk])).content.decode()
    assert survivor.reference in body and reverse("feature_detail", args=[survivor.pk]) in body
    assert "Duplicate" not in client.get(reverse("feature_list")).content.decode()


def test_contact_submits_in_the_portal(client_for, contact):
    response = client_for(contact.user).post(
        "/requests/features/new/",
        {
            "title": "Dark mode",
            "problem": "Night shifts.",
            "service": service("premier-edition").pk,
            "business_value": "Happier agents.",
        },
    )
    feature = FeatureRequest.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/requests/features/{feature.pk}/"
    )
    assert feature.reseller == contact.reseller and feature.requested_by == contact.user


def test_admin_merges_and_publishes(client_for, staff, contact):
    survivor, duplicate = _submit(contact, "Original"), _submit(contact, "Duplicate")
    client = client_for(staff)
    url = f"/admin/cases/featurerequest/{duplicate.pk}/change/"
    assert client.get(url).status_code == 200
    inline = {
        "events-TOTAL_FORMS": "1",
        "events-INITIAL_FORMS": "1",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
        "events-0-id": duplicate.events.get().pk,
        "events-0-request": duplicate.pk,
    }
    response = client.post(
        url,
        {
            "new_status": "declined",
            "comment": "Duplicate.",
            "merge_into": survivor.pk,
            "public_title": "",
            "public_summary": "",
            **inline,
        },
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.status == "declined"
    FeatureRequest.objects.filter(pk=survivor.pk).update(
        public_title="Bulk import", public_summary="CSV."
    )
    client.post(
        "/admin/cases/featurerequest/", {"action": "publish", "_selected_action": [survivor.pk]}
    )
    survivor.refresh_from_db()
    assert survivor.is_published
