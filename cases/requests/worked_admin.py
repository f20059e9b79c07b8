"""Admin pieces the worked requests (MAC/D, feature and uptime credit requests) share: staff change
a status and/or write a comment through the form, and every write goes through the kind's services
(history and emails included). The reseller's own text is read-only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.admin_services import ServiceAdminMixin
from portal.admin_versions import VersionedAdminMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def event_inline(event_model: type[models.Model]) -> type[admin.TabularInline]:
    """The read-only history of a request, from its event model."""

    class EventInline(admin.TabularInline):
        model = event_model
        fields = ("created_at", "kind", "actor", "old_value", "new_value", "body")
        readonly_fields = fields
        extra = 0
        can_delete = False
        verbose_name_plural = _("history")

        def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
            return False

    return EventInline


class WorkForm(forms.ModelForm):
    """Adds the staff comment; status is a plain form field so the service, not the form, saves
    it."""

    new_status = forms.ChoiceField(label=_("status"))
    comment = forms.CharField(
        label=_("comment to the reseller"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Emailed to the reseller's Designated Contacts."),
    )
    status_choices: ClassVar[Sequence[tuple[str, StrOrPromise]]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["new_status"]).choices = self.status_choices
        if self.instance.pk:
            self.fields["new_status"].initial = self.instance.status


class WorkedRequestAdmin(VersionedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    list_filter: ClassVar[tuple[str, ...]] = ("status",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requests come from Designated Contacts in the portal

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _save(self, request: HttpRequest, call: Callable[[], Any]) -> Any:
        """On the change page: a refusal is a form error and the whole save rolls back."""
        try:
            return call()
        except ValidationError as error:
            self.refuse(error)

    def _run(self, request: HttpRequest, call: Callable[[], Any]) -> Any:
        """In a list action: a refusal is a message about that one row."""
        try:
            return call()
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
