from __future__ import annotations

from portal.models import Membership, Reseller


def designated_count(reseller: Reseller | None) -> int:
    if reseller is None:
        return 0
    return Membership.objects.designated().filter(reseller=reseller).count()
