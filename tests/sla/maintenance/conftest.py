from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _default_time_zone() -> Iterator[None]:
    """These tests build form input with timezone.localtime(). portal.middleware activates the
    viewer's zone and never restores it, so an earlier test's request as a Sydney viewer would
    otherwise leave its zone active here."""
    timezone.deactivate()
    yield
    timezone.deactivate()
