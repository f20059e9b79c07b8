from __future__ import annotations

import pytest
from django.db import connection

# The outbox's real-service fixtures (a Redis of the test's own), for a real beat and worker.
from tests.portal.notify.test_real_services import own_redis, redis_broker  # noqa: F401


@pytest.fixture
def postgres_only(transactional_db, reference_data):  # type: ignore[no-untyped-def]
    """Worker and beat are separate processes: they see only committed rows of a real database."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI runs it")
