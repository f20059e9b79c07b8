"""What the fuzz tests send: impossible values, and every portal route with its path filled in.

Values are sent as raw bytes (URL-encoded with surrogatepass), so unpaired surrogates arrive as the
broken UTF-8 a hostile client would send, not as an error in the test client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from hypothesis import strategies as st

HUGE_INTS = ["99999999999999999999", str(2**63), str(2**63 - 1), str(2**31), "-9223372036854775809", "1e309"]

ODD = [
    "", " ", "0", "-1", "abc", "on", "true", "NaN", "[]", "{}", "%", "%00", "' OR 1=1 --", "<script>x</script>",
    "2026-13-45", "2026-02-30", "2026-02-30T25:61", "0000-00-00", "9999-12-31T23:59", "-0001-01-01", "24:00",
    "\u202e\u200b", "\U0001f4a5" * 3, "\ud800", "a\udfffb", "\ufffe", "e\u0301" * 50, "x" * 5000,
]

junk_text = st.one_of(
    st.sampled_from(ODD + HUGE_INTS),
    st.integers().map(str),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=300, max_size=400),
)

# Query parameters the list pages, filters and forms read, besides the forms' own field names.
QUERY_NAMES = ["page", "q", "status", "severity", "account", "service", "kind", "sort", "o", "next", "from",
               "to", "date", "start", "end", "rule", "occurrence_start", "published", "mine", "type"]


def encoded(pairs: list[tuple[str, str]]) -> str:
    return urlencode([(key, value.encode("utf-8", "surrogatepass")) for key, value in pairs])


def path_segment(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


@dataclass(frozen=True)
class Route:
    name: str
    template: str  # "cases/<number>/reply/"
    int_arguments: frozenset[str]

    @property
    def arguments(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.template)

    def url(self, values: dict[str, str]) -> str:
        def fill(match: re.Match[str]) -> str:
            return path_segment(values[match.group(1)])

        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, self.template)


def portal_routes() -> list[Route]:
    """Every URL pattern outside admin, from the root resolver (a new page is fuzzed unasked)."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[Route]:
        for pattern in patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not text.startswith("admin/"):
                    yield from walk(pattern.url_patterns, text)
                continue
            converters = getattr(pattern.pattern, "converters", {})
            ints = frozenset(name for name, converter in converters.items() if isinstance(converter, IntConverter))
            yield Route(name=pattern.name or text, template=text, int_arguments=ints)

    unique = {route.template: route for route in walk(get_resolver().url_patterns, "")}
    return sorted(unique.values(), key=lambda route: route.template)


def input_names(page: str) -> set[str]:
    """The names of a page's form fields, as a browser would submit them."""
    return set(re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', page))


def forms_by_action(page: str, page_path: str) -> dict[str, set[str]]:
    """Each form's target path (its action, else the page itself) with the field names it posts."""
    found: dict[str, set[str]] = {}
    for attributes, body in re.findall(r"<form\b([^>]*)>(.*?)</form>", page, re.S):
        action = re.search(r'\baction="([^"]*)"', attributes)
        target = (action.group(1) if action and action.group(1) else page_path).split("?")[0]
        found.setdefault(target, set()).update(input_names(body))
    return found
