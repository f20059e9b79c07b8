from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from portal.audit.models import AuditEvent, AuditKind


class AuditEventFactory(DjangoModelFactory):
    class Meta:
        model = AuditEvent

    kind = AuditKind.LOGIN_FAILED
    username = factory.Sequence(lambda n: f"someone{n}")
    ip = "192.0.2.10"
    path = "/accounts/login/"
