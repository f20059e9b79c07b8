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
from portal.admin_rows import ListColumnsMixin
from portal.pagination import CachedCountPaginator


@admin.register(Case)
class CaseAdmin(ListColumnsMixin, RemoteAccessCaseAdminMixin, CaseKindAdminMixin, EscalationCaseAdminMixin,
                IntakeCaseAdmin):
    actions = [*IntakeCaseAdmin.actions, record_service_resolution]
    paginator = CachedCountPaginator  # a long queue's or search's total is kept a minute
    # The queue is ordered by what falls due first: fifty cases are a screenful of work and half
    # the page a hundred were (each row costs about as much as the rest of the page's chrome).
    list_per_page = 50
    # What the work queue's rows show, from every topic's columns (and Case.__str__ for the row's
    # checkbox label): a hundred cases' long texts are not read for a list.
    list_columns_read = (
        "number", "subject", "kind", "severity", "priority", "status", "next_due_at", "created_at",
        "calling_for_critical_at", "calling_first",
        "account__name", "account__department", "reseller__name",
        "assignee__username", "assignee__first_name", "assignee__last_name",
    )
