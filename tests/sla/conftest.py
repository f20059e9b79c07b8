from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture
def postgres_only(transactional_db, reference_data):  # type: ignore[no-untyped-def]
    """Concurrency is proven on the production database; SQLite serialises writers anyway."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI runs it")
