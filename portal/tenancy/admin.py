from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from portal.access import acting_user, may_decide_designation
from portal.admin_inlines import ReadOnlyInline
from portal.history.forms import ServiceValidatedForm
from portal.models import (
    MIN_DESIGNATED_CONTACTS,
    CloudService,
    DesignationEvent,
    Membership,
    Reseller,
)
from portal.tenancy import services
from portal.tenancy.models import DesignatedCount, ResellerQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SimpleHistoryAdmin, BaseGroupAdmin):
    """Django's group page with its history (who changed a group's permissions, and when)."""


@admin.register(CloudService)
class CloudServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_active")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}


class ShortOfContactsFilter(admin.SimpleListFilter):
    title = _("Designated Contacts")
    parameter_name = "contacts"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("short", _("Fewer than %(n)s") % {"n": MIN_DESIGNATED_CONTACTS})]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[WithAnnotations[Reseller, DesignatedCount]],
    ) -> QuerySet[WithAnnotations[Reseller, DesignatedCount]]:
        if self.value() == "short":
            return queryset.filter(designated_count__lt=MIN_DESIGNATED_CONTACTS)
        return queryset


@admin.register(Reseller)
class ResellerAdmin(admin.ModelAdmin):
    list_display = ("name", "designated_contacts", "require_mfa")
    list_filter = (ShortOfContactsFilter, "require_mfa")
    search_fields = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[WithAnnotations[Reseller, DesignatedCount]]:
        # Reseller's default manager makes ResellerQuerySets; admin's signature does not say so.
        return cast(ResellerQuerySet, super().get_queryset(request)).with_designated_count()

    @admin.display(description=_("Designated Contacts"), ordering="designated_count")
    def designated_contacts(self, reseller: WithAnnotations[Reseller, DesignatedCount]) -> str:
        count = reseller.designated_count
        if count < MIN_DESIGNATED_CONTACTS:
            return _("%(count)s - below the required %(min)s") % {"count": count, "min": MIN_DESIGNATED_CONTACTS}
        return str(count)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        short = list(Reseller.objects.short_of_contacts().values_list("name", flat=True))
        if short:
            messages.warning(request, ngettext(
                "%(names)s has fewer than two approved Designated Contacts.",
                "%(names)s have fewer than two approved Designated Contacts.", len(short),
            ) % {"names": ", ".join(short)})
        return super().changelist_view(request, extra_context)


class DesignationEventInline(ReadOnlyInline):
    model = DesignationEvent
    fields = ("created_at", "action", "actor", "note")
    readonly_fields = fields


def _run_designation(
    request: HttpRequest, queryset: QuerySet[Membership], action: Any, done: StrOrPromise
) -> None:
    changed = 0
    for membership in queryset.select_related("user"):
        try:
            action(staff=request.user, membership=membership)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            changed += 1
    if changed:
        messages.success(request, done % {"count": changed})


class MembershipForm(ServiceValidatedForm):
    class Meta:
        model = Membership
        fields = "__all__"

    def service_validate(self, cleaned: dict[str, Any]) -> None:
        if self.instance.pk and "phone_24x7" in self.changed_data:
            services.contact_phone_validate(membership=self.instance, phone_24x7=cleaned.get("phone_24x7", ""))


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    form = MembershipForm
    list_display = ("user", "reseller", "designation", "phone_24x7")
    list_filter = ("designation", "reseller")
    search_fields = ("user__username", "user__email", "user__last_name", "reseller__name")
    list_select_related = ("user", "reseller")
    readonly_fields = ("designation",)
    inlines = [DesignationEventInline]
    actions = ["approve", "decline", "revoke"]

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        """The 24x7 phone goes through contact_phone_update (and its history); the rest saves as usual."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        concrete = {field.name for field in Membership._meta.concrete_fields}
        others = [field for field in form.changed_data if field in concrete and field != "phone_24x7"]
        if others:
            obj.save(update_fields=others)
        if "phone_24x7" in form.changed_data:
            services.contact_phone_update(membership=obj, actor=acting_user(request),
                                          phone_24x7=form.cleaned_data["phone_24x7"])

    def has_decide_designation_permission(self, request: HttpRequest) -> bool:
        return may_decide_designation(request.user)

    @admin.action(description=_("Approve as Designated Contact"), permissions=["decide_designation"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        _run_designation(request, queryset, services.contact_approve, _("%(count)s approved."))

    @admin.action(description=_("Decline nomination"), permissions=["decide_designation"])
    def decline(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        _run_designation(request, queryset, services.contact_decline, _("%(count)s declined."))

    @admin.action(description=_("Revoke designation"), permissions=["decide_designation"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        _run_designation(request, queryset, services.contact_revoke, _("%(count)s revoked."))

# The work queue needs its width for columns more than a second navigation.
admin.site.enable_nav_sidebar = False
