"""The production static files storage: whitenoise's hashed, compressed copies, without
rewriting source-map comments.

The vendored minified files (Bootstrap) name source maps that the project does not ship; Django's
manifest storage would fail collectstatic on each such comment. url() and @import references are
still rewritten to their hashed names."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns: Any) -> tuple[Any, ...]:
    def names_source_map(pattern: Any) -> bool:
        regex = pattern[0] if isinstance(pattern, tuple) else pattern
        return "sourceMappingURL" in regex

    return tuple((glob, tuple(p for p in group if not names_source_map(p))) for glob, group in patterns)


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
