from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Resellers and contacts")

    def ready(self) -> None:
        # Admin autodiscovery imports only portal.admin; the outbox admin registers itself here.
        from portal.notify import admin as _notify_admin  # noqa: F401
