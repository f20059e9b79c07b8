"""The one place a trail row is written. It decides nothing (the caller names the reseller), so
portal.access can record a denied look through it without importing the services built on access."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from portal.audit.context import current_request, request_ip
from portal.audit.models import AuditEvent, AuditKind

if TYPE_CHECKING:
    from portal.tenancy.models import Reseller, User


def trail_write(
    *, kind: AuditKind | str, actor: User | None, reseller: Reseller | None, request: HttpRequest | None = None,
    username: str = "", object_type: str = "", object_id: object = "", object_repr: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """The request (given, or the one being served) supplies path and IP."""
    request = request if request is not None else current_request.get()
    return AuditEvent.objects.create(
        kind=AuditKind(kind), actor=actor, username=(username or (actor.get_username() if actor else ""))[:150],
        reseller=reseller, ip=request_ip(request), path=(request.get_full_path() if request else "")[:500],
        object_type=object_type, object_id=str(object_id)[:64], object_repr=str(object_repr)[:200],
        detail=detail or {},
    )
