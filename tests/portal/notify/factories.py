from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from portal.notify.models import Notification


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    to_email = factory.Sequence(lambda n: f"reader{n}@example.com")
    kind = "test"
    template = "notify_test"
    language = "en"
    time_zone = "UTC"
    subject = "Subject"
    body_text = "Body"
    message_id = factory.Sequence(lambda n: f"<test-{n}@portal.test>")
