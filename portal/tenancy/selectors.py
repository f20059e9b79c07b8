from __future__ import annotations

from typing import Any

from portal.access import one_or_404
from portal.models import EndUserAccount, Membership, Reseller


def designated_count(reseller: Reseller | None) -> int:
    if reseller is None:
        return 0
    return Membership.objects.designated().filter(reseller=reseller).count()


def account_for(user: Any, account_id: int | str | None) -> EndUserAccount:
    """One end-user account of the user's reseller; another reseller's (or none) is a 404."""
    return one_or_404(EndUserAccount.objects.visible_to(user), "account", pk=account_id)
