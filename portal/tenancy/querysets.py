"""`visible_to(user)` for every tenant-owned model, deciding through portal.access."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self, TypeVar

from django.db import models
from django.db.models import Q

from portal import access

if TYPE_CHECKING:
    from portal.access import AnyUser

M = TypeVar("M", bound=models.Model)


class TenantQuerySet(models.QuerySet[M]):
    """A queryset whose rows belong to a reseller through `tenant_path`."""

    tenant_path: ClassVar[str] = "reseller"
    staff_sees_all: ClassVar[bool] = True

    def visible_to(self, user: AnyUser) -> Self:
        return access.scope_to_tenant(
            self, user, path=self.tenant_path, staff_sees_all=self.staff_sees_all_for(user),
            shared=self.shared_with_every_reseller(),
        )

    def staff_sees_all_for(self, user: AnyUser) -> bool:
        return self.staff_sees_all

    def shared_with_every_reseller(self) -> Q | None:
        """Rows any reseller user may read besides their own (none by default)."""
        return None


def tenant_queryset(path: str, *, staff_sees_all: bool = True) -> type[TenantQuerySet[models.Model]]:
    """A TenantQuerySet class for a model that has no queryset methods of its own."""
    return type(
        "TenantQuerySet", (TenantQuerySet,),
        {"tenant_path": path, "staff_sees_all": staff_sees_all, "__module__": __name__},
    )
