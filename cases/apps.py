from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Each topic registers its admin pages and Celery tasks on import; ready() imports them once, so
# nothing depends on one module importing another at its bottom.
TOPIC_MODULES = (
    "cases.intake.tasks",
    "cases.escalation.admin",
    "cases.escalation.emails",
    "cases.followups.admin",
    "cases.followups.tasks",
    "cases.admin_requests",
    "cases.admin_requests_b",
    "cases.request_emails",
    "cases.requests_emails",
)


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Support cases")

    def ready(self) -> None:
        from importlib import import_module

        for module in TOPIC_MODULES:
            import_module(module)
