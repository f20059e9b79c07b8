from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Each topic registers its admin and its Celery tasks on import; ready() imports them once.
TOPIC_MODULES = (
    "sla.targets.admin",
    "sla.clocks.admin",
    "sla.alerts.tasks",
    "sla.alerts.metrics",
    "sla.maintenance.admin",
)


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from importlib import import_module

        for module in TOPIC_MODULES:
            import_module(module)
