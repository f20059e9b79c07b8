from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Each topic registers its admin pages and Celery tasks on import; ready() imports them once, so
# nothing depends on one module importing another at its bottom. (Django's admin autodiscovery
# imports only cases/admin.py, and a worker knows a task only once its module is imported.)
TOPIC_MODULES = (
    "cases.escalation.admin",
    "cases.followups.admin",
    "cases.followups.tasks",
    "cases.intake.tasks",
    "cases.requests.privacy.admin",
    "cases.requests.macd.admin",
    "cases.requests.features.admin",
    "cases.requests.credits.admin",
)


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Support cases")

    def ready(self) -> None:
        from importlib import import_module

        for module in TOPIC_MODULES:
            import_module(module)
