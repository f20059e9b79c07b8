"""One email rendered for one reader: their language, their time zone.

Every email is three templates, `<prefix>_subject.txt`, `_body.txt` and `_body.html`: a template
name with a folder is that prefix as it stands (`cases/intake/emails/case_received`, so each topic
keeps its emails beside its pages); a bare name is looked up in `emails/`. The
subject and the text body are rendered by the "text" template engine (no autoescaping: they are
plain text, not HTML); the HTML body by the default engine, which escapes.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

if TYPE_CHECKING:
    from portal.models import User
    from portal.notify.models import Notification

TEXT_ENGINE = "text"  # settings.TEMPLATES; see portal/settings.py


@dataclass(frozen=True)
class Recipient:
    email: str
    user: User | None
    language: str
    time_zone: str

    @classmethod
    def from_user(cls, user: User) -> Recipient:
        return cls(
            email=(user.email or "").strip(), user=user,
            language=user.language or settings.LANGUAGE_CODE,
            time_zone=user.time_zone or settings.TIME_ZONE,
        )

    @classmethod
    def from_address(
        cls, email: str, *, language: str | None = None, time_zone: str | None = None
    ) -> Recipient:
        """A plain address (the care queue, a CSM, an extra attendee): nobody's preferences."""
        return cls(
            email=(email or "").strip(), user=None,
            language=language or settings.LANGUAGE_CODE, time_zone=time_zone or "UTC",
        )

    @property
    def key(self) -> str:
        """What makes two recipients the same mailbox."""
        return self.email.lower()


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body_text: str
    body_html: str


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # A bad stored zone must not stop the email; UTC is at least unambiguous.
        return zoneinfo.ZoneInfo("UTC")


def _template_prefix(template: str) -> str:
    return template if "/" in template else f"emails/{template}"


def email_render(
    *, template: str, context: Mapping[str, Any], recipient: Recipient
) -> RenderedEmail:
    zone = _zone(recipient.time_zone)
    prefix = _template_prefix(template)
    full_context = {
        "portal_url": settings.PORTAL_BASE_URL.rstrip("/"),
        **context,
        "recipient": recipient,
        "time_zone_name": zone.key,
        # render_to_string runs no context processors: the HTML's lang attribute needs this.
        "LANGUAGE_CODE": recipient.language,
    }
    with translation.override(recipient.language), timezone.override(zone):
        subject = render_to_string(
            f"{prefix}_subject.txt", full_context, using=TEXT_ENGINE
        )
        body_text = render_to_string(
            f"{prefix}_body.txt", full_context, using=TEXT_ENGINE
        )
        # No `using`: the first engine, which autoescapes.
        body_html = render_to_string(f"{prefix}_body.html", full_context)
    return RenderedEmail(
        subject=" ".join(subject.split()),  # a header must be one line
        body_text=body_text,
        body_html=body_html,
    )


# Rows queued in bulk (portal.notify.batch) are rendered by the worker that first delivers them:
# a kind registers how to rebuild its template context from the row (usually from its dedupe
# key), so a beat tick that raises a thousand alerts renders none of them itself.
DeferredContext = Callable[["Notification"], Mapping[str, Any]]
_deferred_contexts: dict[str, DeferredContext] = {}


def deferred_context_register(*, kind: str, builder: DeferredContext) -> None:
    _deferred_contexts[kind] = builder


def deferred_context_registered(kind: str) -> bool:
    return kind in _deferred_contexts


def deferred_render(*, notification: Notification) -> RenderedEmail:
    """Renders a bulk-queued row for its reader, from the language and zone stored at queue time."""
    context = _deferred_contexts[notification.kind](notification)
    recipient = Recipient(
        email=notification.to_email, user=notification.recipient,
        language=notification.language, time_zone=notification.time_zone,
    )
    return email_render(template=notification.template, context=context, recipient=recipient)
