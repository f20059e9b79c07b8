from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases.intake.services import case_number_for
from cases.models import Case, Frequency, Reply, Severity, Status
from tests.portal.factories import EndUserAccountFactory, UserFactory


class CaseFactory(DjangoModelFactory):
    """Builds a stored case directly; tests of intake itself go through cases.intake.services.case_create."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    account = factory.SubFactory(EndUserAccountFactory)
    reseller = factory.SelfAttribute("account.reseller")
    service = factory.LazyAttribute(lambda case: case.account.services.first())
    opened_by = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"Agents cannot log in ({n})")
    priority = Severity.HIGH
    severity = factory.SelfAttribute("priority")
    status = Status.NEW
    users_affected = 12
    frequency = Frequency.INTERMITTENT
    first_observed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    impacted_time_zone = "America/New_York"
    impacted_location = "New York office"
    impacted_working_hours = "Mon-Fri 08:00-18:00"
    business_impact = "Customers wait in queue."
    what_went_wrong = "Login fails since 09:00."
    steps_to_reproduce = "Open the desktop and sign in."
    local_contact_name = "Pat Local"
    local_contact_phone = "+1 212 555 0111"

    @factory.post_generation
    def numbered(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and not self.number:
            self.number = case_number_for(self.pk)
            self.save(update_fields=["number"])


class ReplyFactory(DjangoModelFactory):
    class Meta:
        model = Reply

    case = factory.SubFactory(CaseFactory)
    author = factory.SubFactory(UserFactory)
    body = "Thanks, looking."
    visibility = Reply.Visibility.PUBLIC
