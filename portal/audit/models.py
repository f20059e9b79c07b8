"""The audit trail: one append-only row per sign-in, password change, admin action, MFA event and
denied look at another tenant's object. Rows are written by portal.audit.services only; admin
shows them read-only and nobody edits or deletes them (the retention task removes old ones)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history import register

from portal.audit.history import RecordedHistory


class AuditKind(models.TextChoices):
    LOGIN_SUCCEEDED = "login_succeeded", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOGIN_LOCKED_OUT = "login_locked_out", _("Sign-in refused: locked out")
    LOGGED_OUT = "logged_out", _("Signed out")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
    PASSWORD_RESET_THROTTLED = "password_reset_throttled", _("Password reset refused: too many requests")
    PASSWORD_RESET_COMPLETED = "password_reset_completed", _("Password reset completed")
    ADMIN_ADDED = "admin_added", pgettext_lazy("audit", "Admin: added")
    ADMIN_CHANGED = "admin_changed", pgettext_lazy("audit", "Admin: changed")
    ADMIN_DELETED = "admin_deleted", pgettext_lazy("audit", "Admin: deleted")
    ADMIN_ACTION = "admin_action", pgettext_lazy("audit", "Admin: action run on selected rows")
    MFA_ENROLLED = "mfa_enrolled", _("MFA enrolled")
    MFA_VERIFIED = "mfa_verified", _("MFA verified")
    MFA_FAILED = "mfa_failed", _("MFA failed")
    MFA_RESET = "mfa_reset", _("MFA reset")
    ACCESS_DENIED = "access_denied", _("Denied look at another tenant's object")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=40, choices=AuditKind.choices, db_index=True)
    # SET_NULL: the row outlives the user or reseller it names; `username` keeps who it was.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True, db_index=True)
    reseller = models.ForeignKey(
        "portal.Reseller", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reseller"),
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    object_type = models.CharField(_("kind of object"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["kind", "ip", "at"], name="audit_kind_ip_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}".strip()


# Groups are rights (H3's roles are groups): their history lives in this app, as auth's migrations are Django's.
register(Group, app="portal", records_class=RecordedHistory, m2m_fields=["permissions"])
