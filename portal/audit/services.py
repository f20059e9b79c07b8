"""The audit trail's services, called by sign-in pages, receivers and other topics; trail.py writes the rows."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Model, Q
from django.http import HttpRequest
from django.utils import timezone

from portal.access import reseller_of
from portal.audit.context import request_ip
from portal.audit.models import AuditEvent, AuditKind
from portal.audit.selectors import audit_events_older_than
from portal.audit.trail import trail_write

if TYPE_CHECKING:
    from portal.access import AnyUser


def audit_record(
    *, kind: AuditKind | str, actor: AnyUser | None = None, request: HttpRequest | None = None,
    username: str = "", obj: Model | None = None, object_type: str = "", object_id: object = "",
    object_repr: str = "", **detail: Any,
) -> AuditEvent:
    """One trail row. The request (given, or the one being served) supplies path and IP; the actor's
    reseller is looked up here. `detail` must be JSON-serialisable; never pass a password.

    For MFA events: audit_record(kind=AuditKind.MFA_VERIFIED, actor=user, request=request, device="totp")."""
    user = actor if actor is not None and actor.is_authenticated else None
    if obj is not None:
        object_type, object_id, object_repr = obj._meta.label_lower, obj.pk, str(obj)
    return trail_write(
        kind=kind, actor=user, reseller=reseller_of(user) if user is not None else None, request=request,
        username=username, object_type=object_type, object_id=object_id, object_repr=object_repr, detail=detail,
    )


def password_reset_admit(*, request: HttpRequest, email: str) -> bool:
    """Whether this IP and this address are under PASSWORD_RESET_LIMIT_PER_HOUR requests in the last
    hour. Counted in the trail itself, so every web process sees the same count without a shared
    cache. Records the request (or its refusal): the same for known and unknown addresses."""
    since = timezone.now() - timedelta(hours=1)
    email = email.strip().lower()
    recent = AuditEvent.objects.filter(kind=AuditKind.PASSWORD_RESET_REQUESTED, at__gte=since)
    ip = request_ip(request)
    by_ip = recent.filter(ip=ip).count() if ip else 0
    by_email = recent.filter(Q(detail__email=email)).count()
    allowed = max(by_ip, by_email) < settings.PASSWORD_RESET_LIMIT_PER_HOUR
    audit_record(
        kind=AuditKind.PASSWORD_RESET_REQUESTED if allowed else AuditKind.PASSWORD_RESET_THROTTLED,
        request=request, email=email,
    )
    return allowed


def audit_prune(*, retention_days: int, batch_size: int = 5000) -> int:
    """Deletes rows older than `retention_days`, a batch at a time so no run holds a long lock on the
    table. The only way a row leaves the trail. Returns how many went."""
    cutoff = timezone.now() - timedelta(days=retention_days)
    deleted = 0
    while True:
        batch = list(audit_events_older_than(cutoff).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not batch:
            return deleted
        deleted += AuditEvent.objects.filter(pk__in=batch).delete()[0]


def admin_action_record(*, request: HttpRequest) -> AuditEvent | None:
    """A changelist action run by staff on the rows they selected (the action's own services and
    history say what it changed). Nothing for deletions, recorded per object, or for an empty selection."""
    match = request.resolver_match
    action = request.POST.get("action", "")
    if match is None or not match.view_name.startswith("admin:") or not match.view_name.endswith("_changelist"):
        return None
    selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
    across = request.POST.get("select_across") == "1"
    if action == "delete_selected" or not (selected or across) or not request.user.is_authenticated:
        return None
    url_model = match.view_name.removeprefix("admin:").removesuffix("_changelist")
    labels = [model._meta.label_lower for model in apps.get_models()
              if f"{model._meta.app_label}_{model._meta.model_name}" == url_model]
    return audit_record(kind=AuditKind.ADMIN_ACTION, actor=request.user, request=request,
                        object_type=labels[0] if labels else url_model, action=action, selected=selected[:200],
                        all_matching=across)
