from __future__ import annotations

import re

import pytest

from portal.admin_versions import VERSION_FIELD
from tests.portal.factories import StaffFactory


def version_on(page: str) -> str:
    found = re.search(rf'name="{VERSION_FIELD}" value="([^"]+)"', page)
    assert found, "the change form carries no edit version"
    return found.group(1)


def notices_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(error) for error in response.context["adminform"].form.non_field_errors()]


@pytest.fixture
def two_staff(client_for):  # type: ignore[no-untyped-def]
    ann, ben = StaffFactory(username="ann"), StaffFactory(username="ben")
    return (ann, client_for(ann)), (ben, client_for(ben))
