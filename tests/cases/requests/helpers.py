"""Shared building blocks for the request kinds' tests (MAC/D, feature and uptime credit
requests)."""

from __future__ import annotations

import re

from portal.models import CloudService, EndUserAccount, Reseller
from tests.portal.factories import EndUserAccountFactory


def service(code: str) -> CloudService:
    return CloudService.objects.get(code=code)  # loaded by portal's data migration


def account_with(reseller: Reseller, *codes: str, name: str = "Contoso Retail") -> EndUserAccount:
    return EndUserAccountFactory(
        reseller=reseller,
        name=name,
        services=[service(code) for code in codes],
        csm_name="Sam Success",
        csm_email="sam.csm@vendor.test",
    )


def without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)
