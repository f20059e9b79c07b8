from __future__ import annotations

import pytest
from django.db import connection

# The outbox's real-service fixtures (a Redis of the test's own), for the follow-up sweep.
from tests.portal.notify.test_real_services import own_redis, redis_broker  # noqa: F401


@pytest.fixture
def postgres_only(transactional_db, reference_data):  # type: ignore[no-untyped-def]
    """The same gate as tests/sla/conftest.py: real brokers and workers are proven on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI runs it")
