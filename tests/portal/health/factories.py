from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from portal.health.models import Heartbeat
from portal.health.services import BEAT


class HeartbeatFactory(DjangoModelFactory):
    class Meta:
        model = Heartbeat
        django_get_or_create = ("name",)

    name = BEAT
    beat_at = factory.LazyFunction(timezone.now)
