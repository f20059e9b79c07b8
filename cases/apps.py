from __future__ import annotations

import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Modules of the request kinds (cases/requests/) that must be imported for their side effects:
# - the admin modules register their models with admin.site; admin's autodiscover only imports
#   cases/admin.py, which does not import the kinds;
# - the emails modules define Celery tasks; a worker registers a task only when its module is
#   imported, and nothing on a worker's import path imports these otherwise.
# (remote_access and admin_cases admin modules only define CaseAdmin mixins, registered by
# cases/admin_escalation.py.)
REQUEST_MODULES = (
    "cases.requests.privacy.admin",
    "cases.requests.macd.admin",
    "cases.requests.features.admin",
    "cases.requests.credits.admin",
    "cases.requests.privacy.emails",
    "cases.requests.remote_access.emails",
    "cases.requests.macd.emails",
    "cases.requests.features.emails",
    "cases.requests.credits.emails",
)


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Support cases")

    def ready(self) -> None:
        for module in REQUEST_MODULES:
            importlib.import_module(module)
