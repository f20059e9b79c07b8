"""Every email is three templates: `<name>_subject.txt`, `<name>_body.txt`, `<name>_body.html`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def build_email(name: str, context: Mapping[str, Any], to: Iterable[str]) -> EmailMultiAlternatives:
    context = {"portal_url": settings.PORTAL_BASE_URL.rstrip("/"), **context}
    subject = render_to_string(f"emails/{name}_subject.txt", context)
    subject = " ".join(subject.split())  # a header must be one line
    text = render_to_string(f"emails/{name}_body.txt", context)
    html = render_to_string(f"emails/{name}_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=sorted(set(to)))
    message.attach_alternative(html, "text/html")
    return message
