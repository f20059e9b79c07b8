# Celery's autodiscovery imports only `<app>.tasks`; this makes it find the outbox tasks too.
from portal.notify.tasks import deliver_notification, requeue_notifications  # noqa: F401
