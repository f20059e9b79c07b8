from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from portal.models import User
from tests.portal.factories import UserFactory


@pytest.fixture
def trail_reader() -> User:
    """A staff user who holds only portal.view_auditevent (H3's roles grant it to Administrator and Care lead)."""
    user = UserFactory(username="auditor", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent", content_type__app_label="portal"))
    return user
