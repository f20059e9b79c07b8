from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Each topic registers its admin pages and Celery tasks on import; ready() imports them once.
TOPIC_MODULES = (
    "portal.tenancy.admin", "portal.tenancy.user_admin", "portal.notify.admin", "portal.notify.tasks",
    "portal.history.admin", "portal.audit.admin", "portal.audit.tasks", "portal.audit.receivers",
    "portal.health.tasks", "portal.observability.metrics",
)


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Resellers and contacts")

    def ready(self) -> None:
        from importlib import import_module

        for module in TOPIC_MODULES:
            import_module(module)
