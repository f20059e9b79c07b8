"""The one Case admin, composed once from what each topic adds to the case page.

Django's admin autodiscovery imports this module; the topics' own admin pages (post-mortems,
requests...) are registered by their modules, which CasesConfig.ready() imports.
"""

from __future__ import annotations

from django.contrib import admin

from cases.admin_requests import RequestsCaseAdminMixin
from cases.escalation.admin import EscalationCaseAdminMixin
from cases.followups.admin import record_service_resolution
from cases.intake.admin import IntakeCaseAdmin
from cases.models import Case


@admin.register(Case)
class CaseAdmin(RequestsCaseAdminMixin, EscalationCaseAdminMixin, IntakeCaseAdmin):
    actions = [*IntakeCaseAdmin.actions, record_service_resolution]
