"""The audit trail in admin: read by those with portal.view_auditevent, filtered, exported as CSV;
nobody adds, edits or deletes a row here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin import actions as admin_actions
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.admin_inlines import ViewOnlyAdminMixin
from portal.audit.models import AuditEvent, AuditKind
from portal.audit.selectors import audit_events_csv
from portal.audit.services import audit_record


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    change_list_template = "admin/portal/auditevent/change_list.html"
    list_display = ("at", "kind", "username", "reseller", "ip", "path", "object_type", "object_id")
    list_filter = ("kind", "at", ("reseller", admin.RelatedOnlyFieldListFilter),
                   ("actor", admin.RelatedOnlyFieldListFilter))
    search_fields = ("username", "path", "object_repr", "object_id", "actor__username", "reseller__name")
    date_hierarchy = "at"
    list_select_related = ("reseller", "actor")
    readonly_fields = ("at", "kind", "actor", "username", "reseller", "ip", "path", "object_type", "object_id",
                       "object_repr", "detail")

    def get_urls(self) -> list[URLPattern]:
        export = path("export/", self.admin_site.admin_view(self.export_view), name="portal_auditevent_export")
        return [export, *super().get_urls()]

    def export_view(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        """The changelist's rows under the same filters and search, as CSV."""
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        events = self.get_changelist_instance(request).get_queryset(request)
        response = StreamingHttpResponse(audit_events_csv(events), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
        return response

@admin.action(permissions=["delete"], description=_("Delete selected %(verbose_name_plural)s"))
def delete_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    """Admin's own "delete selected", recorded: deleting several objects bulk-creates their
    LogEntry rows without the signal the trail listens to, so this records them itself."""
    doomed = [(obj.pk, str(obj)) for obj in queryset] if request.POST.get("post") else []
    response = admin_actions.delete_selected(modeladmin, request, queryset)
    if response is None and len(doomed) > 1:  # one deletion saves its LogEntry, and the receiver records it
        for pk, text in doomed:
            audit_record(kind=AuditKind.ADMIN_DELETED, actor=request.user, object_type=queryset.model._meta.label_lower,
                         object_id=pk, object_repr=text, change=str(_("Deleted.")))
    return response

admin.site.add_action(delete_selected, "delete_selected")


class HistoryRowsAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """django-simple-history rows of a model edited only inline (SLA targets, custom holidays), so
    their history has a page of its own; read-only like the trail."""

    list_display = ("history_date", "history_type", "history_user", "__str__")
    list_filter = ("history_type", ("history_user", admin.RelatedOnlyFieldListFilter))
    date_hierarchy = "history_date"
    list_select_related = ("history_user",)

