"""Looks through text logs for what is likely end-user customer data before it reaches Care.

A heuristic, not a guarantee: the contact still confirms the logs are sanitized. It flags email
addresses, phone numbers and payment card numbers (Luhn-checked, so timestamps and IDs rarely match).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TEXT_EXTENSIONS = {"log", "txt", "csv", "json", "xml", "har"}
SCAN_LIMIT_BYTES = 5 * 1024 * 1024
MAX_EXAMPLES = 3

_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_PHONE = re.compile(r"(?<![\w.:/-])\+?\(?\d{1,4}\)?(?:[ .-]?\(?\d{2,4}\)?){2,4}(?![\w.:/-])")
# Dotted numbers in logs are addresses and times far more often than phone numbers.
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_EPOCH_FRACTION = re.compile(r"\d{9,13}\.\d{1,6}")
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){13,19}(?!\d)")


@dataclass(frozen=True)
class Finding:
    kind: str
    count: int
    examples: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "count": self.count, "examples": list(self.examples)}


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _mask(value: str) -> str:
    """Shows enough to recognise the match without echoing the whole value back."""
    if len(value) <= 4:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def scan_text(text: str) -> list[Finding]:
    findings: list[Finding] = []
    emails = _EMAIL.findall(text)
    cards = [m for m in _CARD.findall(text) if 13 <= len(re.sub(r"\D", "", m)) <= 19
             and len(set(re.sub(r"\D", "", m))) > 1 and _luhn_ok(re.sub(r"\D", "", m))]
    card_digits = {re.sub(r"\D", "", c) for c in cards}
    phones = [
        m for m in _PHONE.findall(text)
        if 8 <= len(re.sub(r"\D", "", m)) <= 15 and re.sub(r"\D", "", m) not in card_digits
        # A bare run of digits is far more often an ID or epoch time than a phone number.
        and (m.strip().startswith("+") or not m.strip().isdigit())
        and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", m.strip())
        and not _IPV4.fullmatch(m.strip()) and not _EPOCH_FRACTION.fullmatch(m.strip())
    ]
    for kind, matches in (("email", emails), ("phone", phones), ("card", cards)):
        if matches:
            unique = list(dict.fromkeys(m.strip() for m in matches))
            findings.append(Finding(kind, len(matches), tuple(_mask(m) for m in unique[:MAX_EXAMPLES])))
    return findings


def scan_upload(name: str, head: bytes) -> list[Finding]:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in TEXT_EXTENSIONS:
        return []
    return scan_text(head[:SCAN_LIMIT_BYTES].decode("utf-8", errors="replace"))
