from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE = "notify_test"


@pytest.fixture
def notify_templates(settings):  # type: ignore[no-untyped-def]
    """The test-only email templates, seen by both engines (HTML and plain text)."""
    engines = copy.deepcopy(settings.TEMPLATES)
    for engine in engines:
        engine["DIRS"] = [TEMPLATE_DIR, *engine.get("DIRS", [])]
    settings.TEMPLATES = engines
    return TEMPLATE


@pytest.fixture
def event() -> dict[str, Any]:
    """23:30 UTC on 1 December: 10:30 on the 2nd in Sydney, 18:30 on the 1st in New York."""
    when = datetime(2025, 12, 1, 23, 30, tzinfo=UTC)
    return {"number": "C-1001", "title": "R&D <lab> is down", "when": when}


@pytest.fixture
def postgres_only(transactional_db, reference_data):  # type: ignore[no-untyped-def]
    """The same gate as tests/sla/conftest.py: leases and real workers are proven on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI runs it")
