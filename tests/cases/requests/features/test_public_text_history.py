"""A feature request's public text: admin saves it through feature_public_text_update, which checks
for Care staff, keeps a published request's text from being blanked, and records each change."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from cases.models import FeatureRequest
from cases.requests.features import services as features
from portal.models import ChangeRecord
from tests.admin_forms import change_form_data
from tests.cases.requests.helpers import service

pytestmark = pytest.mark.django_db


@pytest.fixture
def feature(contact) -> FeatureRequest:  # type: ignore[no-untyped-def]
    return features.feature_submit(
        contact=contact.user, title="Northwind: bulk import for Contoso", problem="Agents added by hand",
        service=service("premier-edition"), business_value="Saves 3 days a month.",
    )


def url(feature: FeatureRequest) -> str:
    return f"/admin/cases/featurerequest/{feature.pk}/change/"


def test_public_text_saved_in_admin_is_recorded(staff, client_for, feature):
    client = client_for(staff)
    data = change_form_data(client, url(feature))
    data.update(public_title="Bulk agent import", public_summary="Import agents from a CSV file.")
    response = client.post(url(feature), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    feature.refresh_from_db()
    assert (feature.public_title, feature.public_summary, feature.is_published) == (
        "Bulk agent import", "Import agents from a CSV file.", False)  # saving does not publish
    rows = [(row.changed_object, row.actor, row.field, row.old_value, row.new_value)
            for row in ChangeRecord.objects.order_by("field")]
    assert rows == [
        (feature, staff, "public_summary", "", "Import agents from a CSV file."),
        (feature, staff, "public_title", "", "Bulk agent import"),
    ]


def test_blanking_a_published_title_re_renders_and_saves_nothing(staff, client_for, feature):
    features.feature_publish(feature=feature, actor=staff, public_title="Bulk import", public_summary="CSV.")
    client = client_for(staff)
    data = change_form_data(client, url(feature))
    data.update(public_title="  ", public_summary="A new summary")
    response = client.post(url(feature), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["public_title"]
    assert form["public_summary"].value() == "A new summary"
    assert "changed successfully" not in response.content.decode()
    feature.refresh_from_db()
    assert (feature.public_title, feature.public_summary) == ("Bulk import", "CSV.")
    assert not ChangeRecord.objects.exists()


def test_only_care_staff_may_change_the_public_text(contact, feature):
    with pytest.raises(PermissionDenied):
        features.feature_public_text_update(feature=feature, actor=contact.user, public_title="Mine",
                                            public_summary="Mine")
    feature.refresh_from_db()
    assert feature.public_title == ""
    assert not ChangeRecord.objects.exists()
