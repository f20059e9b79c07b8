from __future__ import annotations

from django import template

register = template.Library()

# Colour always comes with the status's words; these only reinforce them.
_STATUS_CSS = {
    "new": "text-bg-primary",
    "in_progress": "text-bg-info",
    "awaiting_reseller": "text-bg-warning",
    "restored": "text-bg-success",
    "resolved": "text-bg-success",
    "closed": "text-bg-secondary",
}
_SEVERITY_CSS = {1: "text-bg-danger", 2: "text-bg-warning", 3: "text-bg-info", 4: "text-bg-light border"}


@register.filter
def status_css(status: str) -> str:
    return _STATUS_CSS.get(status, "text-bg-secondary")


@register.filter
def severity_css(severity: int) -> str:
    return _SEVERITY_CSS.get(severity, "text-bg-secondary")
