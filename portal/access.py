"""The one place that decides who may see and do what.

Reseller users see their own reseller's objects and nothing else; an object of another reseller is
looked up through the same scoped querysets, so it is a 404 exactly like a missing one. Designated
Contacts may write; plain reseller users may read. Vendor staff work in admin, where they see all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from portal.models import EndUserAccount, Membership, Reseller

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    from cases.models import (
        Attachment,
        Case,
        DataPrivacyRequest,
        FeatureRequest,
        IncidentReport,
        MacdRequest,
        PostMortem,
        UptimeCreditRequest,
    )

    AnyUser = AbstractBaseUser | AnonymousUser


def membership_of(user: AnyUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership  # type: ignore[union-attr]
    except Membership.DoesNotExist:
        return None


def reseller_of(user: AnyUser) -> Reseller | None:
    membership = membership_of(user)
    return membership.reseller if membership else None


def is_care_staff(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_staff and membership_of(user) is None)


def is_designated_contact(user: AnyUser) -> bool:
    membership = membership_of(user)
    return bool(membership and membership.is_designated)


def may_enter_admin(user: AnyUser) -> bool:
    """Reseller users never enter admin, even if someone ticked is_staff on them by mistake."""
    return is_care_staff(user) and bool(user.is_active)


def require_designated_contact(user: AnyUser) -> Membership:
    membership = membership_of(user)
    if membership is None or not membership.is_designated:
        raise PermissionDenied("Only Designated Contacts may do this.")
    return membership


def cases_visible_to(user: AnyUser) -> QuerySet[Case]:
    from cases.models import Case

    if is_care_staff(user):
        return Case.objects.all()
    reseller = reseller_of(user)
    if reseller is None:
        return Case.objects.none()
    return Case.objects.filter(reseller=reseller)


def case_for(user: AnyUser, number: str, queryset: QuerySet[Case] | None = None) -> Case:
    base = cases_visible_to(user) if queryset is None else queryset & cases_visible_to(user)
    case = base.filter(number=number).first()
    if case is None:
        raise Http404("No such case.")
    return case


def case_for_update(user: AnyUser, number: str) -> Case:
    """Looks the case up first (404 for another reseller's), then requires write permission."""
    case = case_for(user, number)
    require_designated_contact(user)
    return case


def attachment_for(user: AnyUser, number: str, attachment_id: int) -> Attachment:
    case = case_for(user, number)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such attachment.")
    return attachment


def accounts_visible_to(user: AnyUser) -> QuerySet[EndUserAccount]:
    if is_care_staff(user):
        return EndUserAccount.objects.all()
    reseller = reseller_of(user)
    if reseller is None:
        return EndUserAccount.objects.none()
    return EndUserAccount.objects.filter(reseller=reseller)


def memberships_visible_to(user: AnyUser) -> QuerySet[Membership]:
    reseller = reseller_of(user)
    if reseller is None:
        return Membership.objects.none()
    return Membership.objects.filter(reseller=reseller)


def postmortems_visible_to(user: AnyUser) -> QuerySet[PostMortem]:
    """Post-mortems (and through them incident reports) follow their case's visibility."""
    from cases.models import PostMortem

    return PostMortem.objects.filter(case__in=cases_visible_to(user))


def postmortem_for(user: AnyUser, number: str) -> PostMortem:
    post_mortem = postmortems_visible_to(user).select_related("case").filter(case__number=number).first()
    if post_mortem is None:
        raise Http404("No such post-mortem.")
    return post_mortem


def published_report_for(user: AnyUser, number: str) -> IncidentReport:
    from cases.models import IncidentReport

    report = (
        IncidentReport.objects.filter(post_mortem__in=postmortems_visible_to(user), post_mortem__case__number=number,
                                      status=IncidentReport.Status.PUBLISHED)
        .select_related("post_mortem__case__account", "post_mortem__case__reseller")
        .first()
    )
    if report is None:
        raise Http404("No such incident report.")
    return report


def maintenance_feed_reseller(token: str) -> Reseller:
    """The reseller whose current calendar-feed token this is; a revoked or unknown token is a 404."""
    from sla.maintenance.models import MaintenanceFeed

    feed = MaintenanceFeed.objects.select_related("reseller").filter(token=token).first() if token else None
    if feed is None:
        raise Http404("No such feed.")
    return feed.reseller


def account_for(user: AnyUser, account_id: int | str | None) -> EndUserAccount:
    """One end-user account of the user's reseller; another reseller's (or none) is a 404."""
    try:
        account = accounts_visible_to(user).filter(pk=int(account_id)).first()  # type: ignore[arg-type]
    except (TypeError, ValueError):
        account = None
    if account is None:
        raise Http404("No such account.")
    return account


def reschedule_requests_visible_to(user: AnyUser):  # type: ignore[no-untyped-def]
    from sla.maintenance.models import RescheduleRequest

    return RescheduleRequest.objects.filter(account__in=accounts_visible_to(user))


# --- Other requests: MAC/D, feature requests, uptime credits -------------------------------------------


def _own_requests(user: AnyUser, model: type) -> QuerySet:  # type: ignore[type-arg]
    if is_care_staff(user):
        return model.objects.all()
    reseller = reseller_of(user)
    return model.objects.filter(reseller=reseller) if reseller else model.objects.none()


def _one(queryset: QuerySet, pk: int, what: str):  # type: ignore[no-untyped-def,type-arg]
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(f"No such {what}.")
    return found


def macd_requests_visible_to(user: AnyUser) -> QuerySet[MacdRequest]:
    from cases.models import MacdRequest

    return _own_requests(user, MacdRequest)


def macd_request_for(user: AnyUser, pk: int) -> MacdRequest:
    return _one(macd_requests_visible_to(user), pk, "MAC/D request")


def credit_requests_visible_to(user: AnyUser) -> QuerySet[UptimeCreditRequest]:
    from cases.models import UptimeCreditRequest

    return _own_requests(user, UptimeCreditRequest)


def credit_request_for(user: AnyUser, pk: int) -> UptimeCreditRequest:
    return _one(credit_requests_visible_to(user), pk, "uptime credit request")


def features_visible_to(user: AnyUser) -> QuerySet[FeatureRequest]:
    """A reseller sees its own feature requests, and the ones staff published (public text only)."""
    from cases.models import FeatureRequest

    if is_care_staff(user):
        return FeatureRequest.objects.all()
    reseller = reseller_of(user)
    if reseller is None:
        return FeatureRequest.objects.none()
    return FeatureRequest.objects.filter(Q(reseller=reseller) | Q(is_published=True))


def feature_for(user: AnyUser, pk: int) -> FeatureRequest:
    return _one(features_visible_to(user), pk, "feature request")


def feature_shows_private(user: AnyUser, feature: FeatureRequest) -> bool:
    """Only the submitting reseller (and staff) read the private text; others read the public text."""
    if is_care_staff(user):
        return True
    reseller = reseller_of(user)
    return reseller is not None and feature.reseller_id == reseller.pk


# --- data privacy requests: the reseller's own, and in admin only the Data privacy team ------------

DATA_PRIVACY_GROUP = "Data privacy"


def is_data_privacy_staff(user: AnyUser) -> bool:
    """Care staff who handle data subjects' requests: superusers and the "Data privacy" group."""
    if not (is_care_staff(user) and user.is_active):
        return False
    groups = user.groups  # type: ignore[union-attr]
    return bool(user.is_superuser or groups.filter(name=DATA_PRIVACY_GROUP).exists())


def privacy_requests_visible_to(user: AnyUser) -> QuerySet[DataPrivacyRequest]:
    from cases.models import DataPrivacyRequest

    if is_care_staff(user):
        if is_data_privacy_staff(user):
            return DataPrivacyRequest.objects.all()
        return DataPrivacyRequest.objects.none()
    reseller = reseller_of(user)
    if reseller is None:
        return DataPrivacyRequest.objects.none()
    return DataPrivacyRequest.objects.filter(reseller=reseller)
