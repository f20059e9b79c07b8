"""Admin for MAC/D routes and requests, feature requests and uptime credit requests. Staff change a
status and/or write a comment through the form; every write goes through the services (history and
emails included). The reseller's own text is read-only here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases import credits, features, macd
from cases.models import (
    CreditEvent,
    FeatureEvent,
    FeatureRequest,
    MacdEvent,
    MacdLine,
    MacdRequest,
    MacdRoute,
    UptimeCreditRequest,
)


def _event_inline(model: type) -> type[admin.TabularInline]:
    class EventInline(admin.TabularInline):
        fields = ("created_at", "kind", "actor", "old_value", "new_value", "body")
        readonly_fields = fields
        extra = 0
        can_delete = False
        verbose_name_plural = _("history")

        def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
            return False

    EventInline.model = model
    return EventInline


class WorkForm(forms.ModelForm):
    """Adds the staff comment; status is a plain form field so the service, not the form, saves it."""

    new_status = forms.ChoiceField(label=_("status"))
    comment = forms.CharField(label=_("comment to the reseller"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False, help_text=_("Emailed to the reseller's Designated Contacts."))
    status_choices: list[tuple[str, str]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_status"].choices = self.status_choices
        if self.instance.pk:
            self.fields["new_status"].initial = self.instance.status


class _WorkedAdmin(admin.ModelAdmin):
    list_filter = ("status",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requests come from Designated Contacts in the portal

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _run(self, request: HttpRequest, call: Any) -> Any:
        try:
            return call()
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None


# --- MAC/D -------------------------------------------------------------------------------------------------


@admin.register(MacdRoute)
class MacdRouteAdmin(admin.ModelAdmin):
    list_display = ("service", "route")
    list_editable = ("route",)


class MacdLineInline(admin.TabularInline):
    model = MacdLine
    fields = ("action", "item", "details", "wanted_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MacdWorkForm(WorkForm):
    status_choices = [c for c in MacdRequest.Status.choices if c[0] != MacdRequest.Status.SENT_TO_CSM]

    class Meta:
        model = MacdRequest
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.route == MacdRoute.Route.CSM:
            self.fields["new_status"].choices = MacdRequest.Status.choices
            self.fields["new_status"].disabled = True
            self.fields["comment"].disabled = True
            self.fields["comment"].help_text = _("This request went to the account's CSM by email.")


@admin.register(MacdRequest)
class MacdRequestAdmin(_WorkedAdmin):
    form = MacdWorkForm
    list_display = ("__str__", "account", "service", "route", "status", "reseller", "created_at")
    list_filter = ("route", "status", "service", "reseller")
    search_fields = ("title", "account__name", "reseller__name")
    list_select_related = ("account", "service", "reseller")
    readonly_fields = ("reseller", "account", "service", "title", "route", "requested_by", "csm_recipient",
                       "sent_at", "created_at")
    fields = ("new_status", "comment", *readonly_fields)
    inlines = [MacdLineInline, _event_inline(MacdEvent)]

    def save_model(self, request: HttpRequest, obj: MacdRequest, form: Any, change: bool) -> None:
        if obj.route != MacdRoute.Route.CARE:
            return
        self._run(request, lambda: macd.macd_update(request=obj, actor=request.user,
                                                     status=form.cleaned_data["new_status"],
                                                     comment=form.cleaned_data["comment"]))


# --- Feature requests -------------------------------------------------------------------------------------------


class FeatureWorkForm(WorkForm):
    status_choices = FeatureRequest.Status.choices
    merge_into = forms.ModelChoiceField(
        label=_("merge into"), queryset=FeatureRequest.objects.none(), required=False,
        help_text=_("Marks this request a duplicate of the chosen one; its votes move there."),
    )

    class Meta:
        model = FeatureRequest
        fields = ["public_title", "public_summary"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["merge_into"].queryset = FeatureRequest.objects.filter(merged_into__isnull=True).exclude(
                pk=self.instance.pk)


@admin.register(FeatureRequest)
class FeatureRequestAdmin(_WorkedAdmin):
    form = FeatureWorkForm
    list_display = ("__str__", "service", "status", "is_published", "vote_count", "merged_into", "reseller")
    list_filter = ("status", "is_published", "service", "reseller")
    search_fields = ("title", "public_title", "reseller__name")
    readonly_fields = ("reseller", "requested_by", "title", "problem", "service", "business_value",
                       "is_published", "merged_into", "created_at")
    fieldsets = (
        (_("Work"), {"fields": ("new_status", "comment", "merge_into")}),
        (_("Public text (shown to every reseller when published)"), {"fields": ("public_title", "public_summary",
                                                                                "is_published")}),
        (_("The reseller's request (private)"), {"fields": (
            "reseller", "requested_by", "title", "problem", "service", "business_value", "merged_into", "created_at",
        )}),
    )
    inlines = [_event_inline(FeatureEvent)]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[FeatureRequest]:
        return super().get_queryset(request).annotate(vote_count=Count("votes"))

    @admin.display(description=_("votes"), ordering="vote_count")
    def vote_count(self, obj: FeatureRequest) -> int:
        return obj.vote_count  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: FeatureRequest, form: Any, change: bool) -> None:
        data = form.cleaned_data
        # Public text is the staff's own; saving it does not publish.
        FeatureRequest.objects.filter(pk=obj.pk).update(public_title=obj.public_title,
                                                        public_summary=obj.public_summary)
        self._run(request, lambda: features.feature_update(feature=obj, actor=request.user,
                                                            status=data["new_status"], comment=data["comment"]))
        if data.get("merge_into"):
            self._run(request, lambda: features.feature_merge(duplicate=obj, survivor=data["merge_into"],
                                                               actor=request.user))

    @admin.action(description=_("Publish to every reseller (public title and summary)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[FeatureRequest]) -> None:
        for feature in queryset:
            self._run(request, lambda f=feature: features.feature_publish(
                feature=f, actor=request.user, public_title=f.public_title, public_summary=f.public_summary))

    @admin.action(description=_("Unpublish"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[FeatureRequest]) -> None:
        for feature in queryset:
            features.feature_unpublish(feature=feature, actor=request.user)


# --- Uptime credits ----------------------------------------------------------------------------------------------


class CreditWorkForm(WorkForm):
    status_choices = UptimeCreditRequest.Status.choices
    uptime = forms.DecimalField(label=_("measured uptime (%)"), max_digits=6, decimal_places=3, min_value=0,
                                max_value=100, required=False,
                                help_text=_("The credit is computed: below 99.99 %: 10 %; below 99.0 %: 30 %."))

    class Meta:
        model = UptimeCreditRequest
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["uptime"].initial = self.instance.measured_uptime

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "new_status" in data:
            uptime = data.get("uptime")
            errors = credits.update_errors(request=self.instance, status=data["new_status"],
                                           measured_uptime=uptime if uptime is not None
                                           else self.instance.measured_uptime)
            for field, messages_ in errors.items():
                self.add_error("new_status" if field == "status" else None, messages_)
        return data


@admin.register(UptimeCreditRequest)
class UptimeCreditRequestAdmin(_WorkedAdmin):
    form = CreditWorkForm
    list_display = ("__str__", "account", "service", "month", "status", "measured_uptime", "credit_percent",
                    "reseller")
    list_filter = ("status", "service", "reseller")
    search_fields = ("account__name", "reseller__name")
    readonly_fields = ("reseller", "account", "service", "month", "notes", "requested_by", "measured_uptime",
                       "credit_percent", "created_at")
    fields = ("uptime", "new_status", "comment", *readonly_fields)
    inlines = [_event_inline(CreditEvent)]

    def save_model(self, request: HttpRequest, obj: UptimeCreditRequest, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if data.get("uptime") is not None and data["uptime"] != obj.measured_uptime:
            self._run(request, lambda: credits.credit_record_uptime(request=obj, actor=request.user,
                                                                     measured_uptime=data["uptime"]))
        self._run(request, lambda: credits.credit_request_update(request=obj, actor=request.user,
                                                                  status=data["new_status"],
                                                                  comment=data["comment"]))
