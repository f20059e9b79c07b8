"""MFA writes: enrol (start, confirm), verify a code, reset. django-otp keeps the devices.

Every event (enrolled, verified, failed, reset) is a row of the audit trail and a log line.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from portal.access import may_reset_mfa, reseller_of
from portal.audit.models import AuditKind
from portal.audit.trail import trail_write
from portal.models import User

audit_log = logging.getLogger("portal.audit")

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def mfa_audit(event: str, *, user: User, actor: Any = None, **fields: Any) -> None:
    """One audit-trail row (and a log line); a staff session that timed out is a sign-out."""
    actor = actor if actor is not None else user
    audit_log.info(event, extra={
        "event": event, "user_id": user.pk, "username": user.get_username(),
        "actor_id": getattr(actor, "pk", None), **fields,
    })
    kind = AuditKind.LOGGED_OUT if event == "staff_session_expired" else AuditKind(event)
    trail_write(
        kind=kind, actor=actor if getattr(actor, "pk", None) else None, reseller=reseller_of(user),
        object_type="portal.user", object_id=user.pk, object_repr=user.get_username(),
        detail={"event": event, **fields},
    )


def mfa_enrol_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator this user is setting up: the same one on every reload, so
    the QR code they scanned stays valid until they confirm it."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Two-step verification is already set up."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def mfa_enrol_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirms the authenticator with a code from it and returns fresh recovery codes (shown
    once: only their holder knows them afterwards)."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied("Not this user's pending device.")
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        verified = locked.verify_token(_digits(token))
    # The failure (and django-otp's throttle count) is committed before the error is raised.
    if not verified:
        mfa_audit("mfa_failed", user=user, stage="enrol", method="totp")
        raise ValidationError(_("That code is not valid. Check the time on your phone and try the newest code."))
    with transaction.atomic():
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _replace_recovery_codes(user)
    mfa_audit("mfa_enrolled", user=user, method="totp")
    device.refresh_from_db()
    return codes


def mfa_verify(*, user: User, token: str) -> Device:
    """The device that accepts this code: six digits go to the authenticator (a code used once is
    refused again: TOTPDevice keeps the last time step used), anything else to the recovery codes
    (each is deleted as it is used)."""
    cleaned = "".join(token.split())
    devices: Any
    if cleaned.isdigit():
        method, devices = "totp", TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        method, devices = "recovery_code", StaticDevice.objects.filter(user=user, confirmed=True)
        cleaned = cleaned.replace("-", "").lower()
    matched = None
    with transaction.atomic():
        for device in devices.select_for_update():
            if device.verify_token(cleaned):
                matched = device
                break
    if matched is None:
        mfa_audit("mfa_failed", user=user, stage="verify", method=method)
        raise ValidationError(_("That code is not valid, or it was used already."))
    fields: dict[str, Any] = {"method": method}
    if method == "recovery_code":
        fields["recovery_codes_left"] = matched.token_set.count()
    mfa_audit("mfa_verified", user=user, **fields)
    return matched


def mfa_passkey_registered(*, user: User, credential: WebAuthnCredential) -> None:
    """django-otp-webauthn has checked and saved the credential; the trail records it."""
    if credential.user_id != user.pk:
        raise PermissionDenied("Not this user's passkey.")
    mfa_audit("mfa_enrolled", user=user, method="passkey", device_id=credential.pk)


def mfa_passkey_verify(*, user: User, credential: WebAuthnCredential) -> WebAuthnCredential:
    """The passkey django-otp-webauthn verified (signature, challenge, sign count) passes the MFA
    step only for the user whose password opened this session."""
    if credential.user_id != user.pk or not credential.confirmed:
        mfa_audit("mfa_failed", user=user, stage="verify", method="passkey")
        raise PermissionDenied("Not this user's passkey.")
    mfa_audit("mfa_verified", user=user, method="passkey", device_id=credential.pk)
    return credential


def mfa_passkey_failed(*, user: User, stage: str, reason: str) -> None:
    mfa_audit("mfa_failed", user=user, stage=stage, method="passkey", reason=reason)


@transaction.atomic
def mfa_reset(*, actor: Any, user: User) -> int:
    """Deletes every MFA device of the user (a lost phone): staff who must have MFA enrol again
    at their next request, as do the users of a reseller that requires it."""
    if not may_reset_mfa(actor, user):
        raise PermissionDenied("You may not reset this user's two-step verification.")
    removed = 0
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    mfa_audit("mfa_reset", user=user, actor=actor, devices_removed=removed)
    return removed


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _index in range(settings.MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _digits(token: str) -> str:
    return "".join(token.split())
