"""Each reseller's attachment storage: how much its cases' files take, against its quota."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cases.models import Attachment
from portal.models import Reseller


@dataclass(frozen=True)
class StorageUse:
    used: int
    limit: int

    @property
    def percent(self) -> int:
        return min(100, self.used * 100 // self.limit) if self.limit else 0

    @property
    def near(self) -> bool:
        return self.percent >= settings.ATTACHMENT_QUOTA_WARN_PERCENT

    @property
    def full(self) -> bool:
        return self.used >= self.limit

    def fits(self, more: int) -> bool:
        return self.used + more <= self.limit

    @property
    def used_display(self) -> str:
        return filesizeformat(self.used)

    @property
    def limit_display(self) -> str:
        return filesizeformat(self.limit)


def quota_of(reseller: Reseller) -> int:
    if reseller.attachment_quota_bytes is not None:
        return reseller.attachment_quota_bytes
    return int(settings.ATTACHMENT_QUOTA_BYTES_PER_RESELLER)


def storage_use_of(reseller: Reseller) -> StorageUse:
    used = Attachment.objects.filter(case__reseller=reseller).aggregate(total=Sum("size"))["total"] or 0
    return StorageUse(used=int(used), limit=quota_of(reseller))


def quota_room_message(use: StorageUse) -> str:
    return _(
        "Your reseller's file storage has room for %(room)s more (%(used)s of %(limit)s is used). "
        "Leave some files out, or ask Customer Care to raise the limit."
    ) % {"room": filesizeformat(max(0, use.limit - use.used)), "used": use.used_display, "limit": use.limit_display}


def require_room_for(*, reseller: Reseller, more: int) -> None:
    """Raises ValidationError when `more` bytes would take the reseller past its quota. Callers hold
    the reseller row locked (select_for_update) so two uploads cannot both take the last room."""
    use = storage_use_of(reseller)
    if not use.fits(more):
        raise ValidationError(
            _("These files (%(size)s) were not added. %(quota)s")
            % {"size": filesizeformat(more), "quota": quota_room_message(use)},
            code="quota",
        )
