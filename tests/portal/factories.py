from __future__ import annotations

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from portal.models import CloudService, EndUserAccount, Membership, Reseller, SupportPackage, User

TEST_PASSWORD = "correct-horse-battery"  # noqa: S105


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    time_zone = "UTC"
    password = factory.django.Password(TEST_PASSWORD)


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"care{n}")
    is_staff = True
    is_superuser = True


class RoleStaffFactory(StaffFactory):
    """Care staff holding one role of portal.roles and nothing else: RoleStaffFactory(role=CARE_LEAD)."""

    is_superuser = False

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))  # made by portal 0014


class CloudServiceFactory(DjangoModelFactory):
    class Meta:
        model = CloudService
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Service {n}")


class ResellerFactory(DjangoModelFactory):
    class Meta:
        model = Reseller

    name = factory.Sequence(lambda n: f"Reseller {n}")


class EndUserAccountFactory(DjangoModelFactory):
    class Meta:
        model = EndUserAccount
        skip_postgeneration_save = True

    reseller = factory.SubFactory(ResellerFactory)
    name = factory.Sequence(lambda n: f"Account {n}")
    support_package = SupportPackage.BUSINESS_CARE
    time_zone = "America/New_York"

    @factory.post_generation
    def services(self, create: bool, extracted: list[CloudService] | None, **kwargs: object) -> None:
        if not create:
            return
        self.services.set(extracted if extracted is not None else [CloudServiceFactory()])


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    reseller = factory.SubFactory(ResellerFactory)
    designation = Membership.Designation.NONE
    phone_24x7 = ""


class DesignatedContactFactory(MembershipFactory):
    designation = Membership.Designation.APPROVED
    phone_24x7 = "+1 212 555 0100"
