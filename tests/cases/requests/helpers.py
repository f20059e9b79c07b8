"""Shared building blocks for the request kinds' tests (MAC/D, feature and uptime credit
requests)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.core import mail
from django.core.mail import EmailMessage

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


def mailed_to(messages: Sequence[EmailMessage] | None = None) -> list[str]:
    """The one address of each sent message, in order: the outbox writes one message per
    recipient, so a message with several addresses is a failure."""
    messages = mail.outbox if messages is None else messages
    for message in messages:
        assert len(message.to) == 1, message.to
    return [message.to[0] for message in messages]
