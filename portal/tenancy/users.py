"""Writes on user accounts from admin: who may change what, deactivation, and ending access.

The rules the user admin enforces (portal.access holds the predicates):
1. Rights — superuser status, staff status, groups (the roles of portal.roles) and individual
   permissions — are granted and withdrawn by superusers only. The Administrator role manages users'
   names, email, time zone, language and active flag, not their rights.
2. Nobody changes their own rights or their own active flag, superusers included: no promoting
   yourself, and no locking yourself out by accident.
3. A superuser's account is changed by superusers only.
4. The username and email of someone else's account are changed by superusers only: an email
   changed by another person plus a reset link would hand the account over (a staff role, or a
   reseller's Designated Contact). New accounts get their email when they are added.
5. Nobody sets someone else's password in admin, a reseller user's least of all: people set their
   own through the reset link, which the admin can send them ("Send password reset email").
A refused change is an error on the form, and nothing is saved; a crafted POST for a field shown
read-only is refused the same way, not silently dropped.

Ending access: deactivating a user or revoking a Designated Contact calls `user_access_end`, which
runs every function named in settings.ACCESS_REVOKERS (today: their sessions, and the calendar feed
tokens they made; API tokens join that list when they exist).
"""

from __future__ import annotations

from collections.abc import Collection

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import loader
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from portal import access
from portal.history.services import changes_record
from portal.models import User
from portal.tenancy.sessions import sessions_end

RIGHTS_FIELDS = frozenset({"is_superuser", "is_staff", "groups", "user_permissions"})
OWN_LOCKED_FIELDS = RIGHTS_FIELDS | {"is_active"}
IDENTITY_FIELDS = frozenset({"username", "email"})


def user_locked_fields(*, actor: User, user: User | None) -> frozenset[str]:
    """The fields `actor` may not change on `user`'s admin page (shown read-only)."""
    if user is None:
        return frozenset() if access.may_grant_rights(actor) else RIGHTS_FIELDS
    locked: set[str] = set()
    if not access.may_grant_rights(actor):
        locked |= RIGHTS_FIELDS
    if user.pk == actor.pk:
        locked |= OWN_LOCKED_FIELDS
    elif not actor.is_superuser:
        locked |= IDENTITY_FIELDS
    return frozenset(locked)


def user_changes_validate(*, actor: User, user: User | None, changed: Collection[str]) -> None:
    """Refuses a change of a field `actor` may not change, naming why."""
    if user is not None and user.pk is not None and not access.may_change_user(actor, user):
        raise PermissionDenied("Only a superuser may change a superuser's account.")
    refused = set(changed) & user_locked_fields(actor=actor, user=user)
    if not refused:
        return
    if user is not None and user.pk == actor.pk and refused & OWN_LOCKED_FIELDS:
        raise ValidationError(_("Nobody changes their own rights or active status; ask a superuser."))
    if refused & RIGHTS_FIELDS:
        raise ValidationError(_("Only a superuser may grant superuser status, staff status, groups or permissions."))
    raise ValidationError(_("Only a superuser may change someone else's username or email."))


@transaction.atomic
def user_admin_save(*, actor: User, user: User, changed: Collection[str], adding: bool) -> User:
    """The save behind the user admin's forms (groups and permissions are saved after it, by the
    form, within the same transaction and already validated here)."""
    if not access.may_manage_users(actor):
        raise PermissionDenied("Only user administrators may change users.")
    user_changes_validate(actor=actor, user=None if adding else user, changed=changed)
    if adding:
        user.set_unusable_password()  # they choose one through the reset link (rule 5)
    deactivated = not adding and "is_active" in changed and not user.is_active
    user.save()
    if deactivated:
        changes_record(obj=user, actor=actor, before={"is_active": True}, after={"is_active": False})
        user_access_end(user=user)
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """The user can no longer sign in, and every session and token they hold ends now."""
    if not access.may_change_user(actor, user):
        raise PermissionDenied("Only user administrators may deactivate users.")
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    stored = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if stored.is_active:
        stored.is_active = False
        stored.save(update_fields=["is_active"])
        changes_record(obj=stored, actor=actor, before={"is_active": True}, after={"is_active": False})
    user_access_end(user=stored)
    return stored


def user_access_end(*, user: User) -> None:
    """Revokes everything that lets `user` in without a password: sessions, feed tokens, and (once
    they exist) API tokens. Each revoker is named in settings.ACCESS_REVOKERS and takes user=."""
    for path in settings.ACCESS_REVOKERS:
        import_string(path)(user=user)


def sessions_revoke(*, user: User) -> None:
    sessions_end(user_id=user.pk)


def password_reset_send(*, actor: User, user: User) -> None:
    """Emails `user` the same reset link the login page's "Forgot your password?" sends."""
    if not access.may_change_user(actor, user):
        raise PermissionDenied("Only user administrators may send password resets.")
    if not user.is_active or not user.email:
        raise ValidationError(_("%(user)s is inactive or has no email address.") % {"user": user})
    base_url = settings.PORTAL_BASE_URL.rstrip("/")
    protocol, _sep, domain = base_url.partition("://")
    context = {
        "email": user.email, "domain": domain, "site_name": domain, "protocol": protocol, "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
    }
    with translation.override(user.language or None):  # in their language, like every email
        subject = "".join(loader.render_to_string("registration/password_reset_subject.txt", context).splitlines())
        text = loader.render_to_string("registration/password_reset_email.html", context)
        html = loader.render_to_string("registration/password_reset_email_body.html", context)
    message = EmailMultiAlternatives(subject, text, None, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()
