"""The one Case admin, composed once from what each topic adds to the case page.

Django's admin autodiscovery imports this module; the topics' own admin pages (post-mortems,
requests...) are registered by their modules, which CasesConfig.ready() imports.
"""

from __future__ import annotations

from django.contrib import admin

from cases.escalation.admin import EscalationCaseAdminMixin
from cases.followups.admin import record_service_resolution
from cases.intake.admin import IntakeCaseAdmin
from cases.models import Case
from cases.requests.admin_cases.admin import CaseKindAdminMixin
from cases.requests.remote_access.admin import RemoteAccessCaseAdminMixin


@admin.register(Case)
class CaseAdmin(RemoteAccessCaseAdminMixin, CaseKindAdminMixin, EscalationCaseAdminMixin, IntakeCaseAdmin):
    actions = [*IntakeCaseAdmin.actions, record_service_resolution]
