"""The one place that decides who may see and do what.

Reseller users see their own reseller's objects and nothing else; an object of another reseller is
looked up through the same scoped querysets, so it is a 404 exactly like a missing one. Designated
Contacts may write; plain reseller users may read. Vendor staff work in admin, where they see all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from portal.audit.context import current_request
from portal.audit.models import AuditKind
from portal.audit.trail import trail_write
from portal.roles import PRIVACY_OFFICER

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import Membership, Reseller, User

    AnyUser: TypeAlias = "User | AnonymousUser"

M = TypeVar("M", bound=Model)
QS = TypeVar("QS", bound=QuerySet[Any])


def acting_user(request: HttpRequest) -> User:
    """The signed-in portal User behind a request, for services that act on someone's behalf.

    Views are behind login_required and admin behind its own login, so an anonymous user never
    gets here; should one, it may not act."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to do this.")
    # An authenticated request.user is AUTH_USER_MODEL, portal.User (no import here: portal.models
    # decides visibility through this module, so they would import each other).
    return user


def membership_of(user: AnyUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except ObjectDoesNotExist:
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


def require_care_staff(user: AnyUser) -> None:
    """Services call this before any change only Customer Care may make."""
    if not is_care_staff(user):
        raise PermissionDenied("Only Customer Care staff may do this.")


def require_staff_permission(user: AnyUser, permission: str) -> None:
    """Services call this before a change only some roles may make (portal.roles: for example the
    Care lead's "sla.change_slapolicy"); superusers hold every permission. Admin checks the same
    permission to show the page; this keeps the rule when something else calls the service."""
    require_care_staff(user)
    if not (user.is_active and user.has_perm(permission)):
        raise PermissionDenied(f"Your role does not allow this ({permission}).")


def require_designated_contact(user: AnyUser) -> Membership:
    membership = membership_of(user)
    if membership is None or not membership.is_designated:
        raise PermissionDenied("Only Designated Contacts may do this.")
    return membership


def scope_to_tenant(
    queryset: QS, user: AnyUser, *, path: str = "reseller", staff_sees_all: bool = True,
    shared: Q | None = None,
) -> QS:
    """The rows of `queryset` this user may see: staff all (or none), a reseller user only the
    rows whose `path` leads to their own reseller (plus the `shared` rows every reseller may read),
    anyone else nothing. Every tenant-owned model's `objects.visible_to(user)` comes here, so this
    is the one rule for tenant separation."""
    if is_care_staff(user):
        return queryset if staff_sees_all else queryset.none()
    reseller = reseller_of(user)
    if reseller is None:
        return queryset.none()
    own = Q(**{path: reseller})
    return queryset.filter(own | shared if shared is not None else own)


def one_or_404(queryset: QuerySet[M], what: str, **lookup: Any) -> M:
    """One visible row; another reseller's row is exactly as absent as a missing one.

    When the row exists but this queryset does not show it, the look is recorded in the audit
    trail (the request's user, their reseller, path) before the same 404."""
    try:
        found = queryset.filter(**lookup).first()
    except (TypeError, ValueError):  # a lookup value that cannot be a key of this field
        raise Http404(f"No such {what}.") from None
    if found is None:
        _record_if_hidden(queryset, what, lookup)
        raise Http404(f"No such {what}.")
    return found


def _record_if_hidden(queryset: QuerySet[Any], what: str, lookup: dict[str, Any]) -> None:
    """The trail row for a look at a row that exists but is not this user's to see."""
    hidden_pk = queryset.model._base_manager.filter(**lookup).values_list("pk", flat=True).first()
    if hidden_pk is None:
        return
    user = getattr(current_request.get(), "user", None)
    signed_in = user if user is not None and user.is_authenticated else None
    trail_write(kind=AuditKind.ACCESS_DENIED, actor=signed_in, reseller=reseller_of(user) if user else None,
                object_type=queryset.model._meta.label_lower, object_id=hidden_pk, detail={"what": what})


def feature_shows_private(user: AnyUser, feature: Any) -> bool:
    """Only the submitting reseller (and staff) read a feature request's private text."""
    if is_care_staff(user):
        return True
    reseller = reseller_of(user)
    return reseller is not None and feature.reseller_id == reseller.pk


# --- data privacy requests: the reseller's own, and in admin only the Privacy officer role --------

# The Privacy officer role (portal.roles) is the group that used to be called "Data privacy".
DATA_PRIVACY_GROUP = PRIVACY_OFFICER


def is_data_privacy_staff(user: AnyUser) -> bool:
    """Care staff who handle data subjects' requests: superusers and the Privacy officer role."""
    if not (is_care_staff(user) and user.is_active):
        return False
    return bool(user.is_superuser or user.groups.filter(name=DATA_PRIVACY_GROUP).exists())


# --- MFA: who must enrol, who may reset ------------------------------------------------------------


def mfa_required(user: AnyUser) -> bool:
    """Staff always (they reach every reseller's data); a reseller's users when it requires MFA."""
    if not user.is_authenticated:
        return False
    if is_care_staff(user):
        return True
    reseller = reseller_of(user)
    return bool(reseller is not None and reseller.require_mfa)


def may_reset_mfa(actor: AnyUser, user: User) -> bool:
    """Care staff who may change users reset anyone's MFA (a lost phone); a user may turn off
    their own only where nobody requires it."""
    if is_care_staff(actor) and actor.is_active and actor.has_perm("portal.change_user"):
        return True
    return bool(actor.is_authenticated and actor.pk == user.pk and not mfa_required(user))
# --- staff rights: roles, user admin, Designated Contact decisions ----------------------------------
# The rules themselves are written down in portal.tenancy.users.

def may_grant_rights(user: AnyUser) -> bool:
    """Superuser, staff status, groups (roles) and permissions are granted by superusers only."""
    return bool(is_care_staff(user) and user.is_active and user.is_superuser)


def may_manage_users(user: AnyUser) -> bool:
    return bool(is_care_staff(user) and user.is_active and user.has_perm("portal.change_user"))


def may_change_user(actor: AnyUser, target: User) -> bool:
    """A superuser's account is changed by superusers only: an email changed by someone else and a
    reset link would hand it over."""
    return may_manage_users(actor) and (actor.is_superuser or not target.is_superuser)


def may_set_password_of(actor: AnyUser, target: User) -> bool:
    """Nobody sets someone else's password in admin: a reseller user could then be impersonated,
    and a staff password set by another person is a shared secret. They use the reset link."""
    return bool(actor.is_authenticated and actor.pk == target.pk and is_care_staff(actor))


def may_decide_designation(user: AnyUser) -> bool:
    """Approving, declining and revoking Designated Contacts is for the Care lead role."""
    return bool(is_care_staff(user) and user.is_active and user.has_perm("portal.decide_designation"))
