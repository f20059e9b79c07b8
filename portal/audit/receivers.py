"""Recording-only receivers: Django's auth signals, axes' lockout signal and admin's LogEntry are
how those libraries tell the world that something happened; each receiver only writes a trail row.

Connected once from PortalConfig.ready() (importing this module)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from portal.audit.backends import REFUSED_UNREAD
from portal.audit.models import AuditKind
from portal.audit.services import audit_record

ADMIN_KINDS = {ADDITION: AuditKind.ADMIN_ADDED, CHANGE: AuditKind.ADMIN_CHANGED, DELETION: AuditKind.ADMIN_DELETED}


@receiver(user_logged_in, dispatch_uid="audit-login-succeeded")
def record_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(kind=AuditKind.LOGIN_SUCCEEDED, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def record_login_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any,
) -> None:
    if getattr(request, REFUSED_UNREAD, False):
        return  # refused before any password was checked: the lockout receiver records it
    audit_record(kind=AuditKind.LOGIN_FAILED, request=request, username=str(credentials.get("username") or ""))


@receiver(user_locked_out, dispatch_uid="audit-login-locked-out")
def record_lockout(sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any) -> None:
    audit_record(kind=AuditKind.LOGIN_LOCKED_OUT, request=request, username=username or "")


@receiver(user_logged_out, dispatch_uid="audit-logged-out")
def record_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(kind=AuditKind.LOGGED_OUT, actor=user, request=request)


@receiver(post_save, sender=LogEntry, dispatch_uid="audit-admin-log-entry")
def record_admin_action(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """Admin writes one LogEntry per add, change and single delete; many deletions at once are
    bulk-created without signals, so portal.audit.admin.delete_selected records those."""
    if created:
        record_log_entry(instance)


def record_log_entry(entry: LogEntry) -> None:
    model = entry.content_type.model_class() if entry.content_type is not None else None
    audit_record(
        kind=ADMIN_KINDS.get(entry.action_flag, AuditKind.ADMIN_CHANGED), actor=entry.user,
        object_type=model._meta.label_lower if model is not None else "", object_id=entry.object_id or "",
        object_repr=entry.object_repr, change=entry.get_change_message(),
    )
