"""The outbox for Customer Care: what was sent to whom, what failed and why, and "Retry now".

Read-only: a row is a record of what a reader got, so nobody edits or deletes it here.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin_inlines import ViewOnlyAdminMixin
from portal.notify.models import Notification
from portal.notify.services import notification_retry


@admin.register(Notification)
class NotificationAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("to_email", "kind", "status", "attempts", "next_attempt_at", "sent_at",
                    "created_at")
    list_filter = ("status", "kind", "language")
    search_fields = ("to_email", "subject", "message_id")
    # The outbox grows without bound; a COUNT(*) of the whole table on every page is not worth it.
    show_full_result_count = False
    actions = ["retry_now"]
    fields = (
        "to_email", "recipient", "kind", "template", "content_type", "object_id", "language",
        "time_zone", "subject", "body_text", "body_html", "attachments", "status", "attempts",
        "next_attempt_at", "claimed_at", "sent_at", "last_error", "message_id", "dedupe_key",
        "created_at",
    )
    readonly_fields = fields

    @admin.action(description=_("Retry now"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notification_retry(
            notification_ids=queryset.values_list("pk", flat=True),
            actor=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, ngettext(
            "%(count)s notification re-queued.", "%(count)s notifications re-queued.", count,
        ) % {"count": count})
