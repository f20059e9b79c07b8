"""The Content-Security-Policy allows scripts and styles from this site's files only: no template
may carry an inline script, an inline event handler, a <style> block or a style attribute."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Emails are not web pages: mail clients need inline styles and never see the CSP header.
PAGES = sorted(path for path in TEMPLATES.rglob("*.html") if "emails" not in path.parts)
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "style block": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_there_are_page_templates_to_check():
    assert len(PAGES) > 20


@pytest.mark.parametrize("path", PAGES, ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_no_inline_script_or_style(path: Path):
    text = path.read_text()
    found = [kind for kind, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{path.relative_to(TEMPLATES)}: {', '.join(found)} (move it to static/js or static/css)"
