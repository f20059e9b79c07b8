"""Feature requests in admin: status and comment, the public text, publishing and merging."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases.requests.features import services
from cases.requests.features.models import FeatureEvent, FeatureRequest
from cases.requests.worked_admin import WorkedRequestAdmin, WorkForm, event_inline
from portal.access import acting_user
from portal.history.forms import ServiceValidatedForm


class FeatureWorkForm(ServiceValidatedForm, WorkForm):
    status_choices = FeatureRequest.Status.choices
    merge_into = forms.ModelChoiceField(
        label=_("merge into"),
        queryset=FeatureRequest.objects.none(),
        required=False,
        help_text=_("Marks this request a duplicate of the chosen one; its votes move there."),
    )

    class Meta:
        model = FeatureRequest
        fields = ["public_title", "public_summary"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            merge_into = cast("forms.ModelChoiceField[FeatureRequest]", self.fields["merge_into"])
            merge_into.queryset = FeatureRequest.objects.filter(
                merged_into__isnull=True
            ).exclude(pk=self.instance.pk)

    def service_validate(self, cleaned: dict[str, Any]) -> None:
        if self.instance.pk and {"public_title", "public_summary"} & set(self.changed_data):
            services.feature_public_text_validate(
                feature=self.instance,
                public_title=cleaned.get("public_title", ""),
                public_summary=cleaned.get("public_summary", ""),
            )


@admin.register(FeatureRequest)
class FeatureRequestAdmin(WorkedRequestAdmin):
    form = FeatureWorkForm
    list_display = (
        "__str__",
        "service",
        "status",
        "is_published",
        "vote_count",
        "merged_into",
        "reseller",
    )
    list_filter = ("status", "is_published", "service", "reseller")
    search_fields = ("title", "public_title", "reseller__name")
    readonly_fields = (
        "reseller",
        "requested_by",
        "title",
        "problem",
        "service",
        "business_value",
        "is_published",
        "merged_into",
        "created_at",
    )
    fieldsets = (
        (_("Work"), {"fields": ("new_status", "comment", "merge_into")}),
        (
            _("Public text (shown to every reseller when published)"),
            {"fields": ("public_title", "public_summary", "is_published")},
        ),
        (
            _("The reseller's request (private)"),
            {
                "fields": (
                    "reseller",
                    "requested_by",
                    "title",
                    "problem",
                    "service",
                    "business_value",
                    "merged_into",
                    "created_at",
                )
            },
        ),
    )
    inlines = [event_inline(FeatureEvent)]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[FeatureRequest]:
        return super().get_queryset(request).annotate(vote_count=Count("votes"))

    @admin.display(description=_("votes"), ordering="vote_count")
    def vote_count(self, obj: FeatureRequest) -> int:
        return obj.vote_count  # type: ignore[attr-defined]

    def save_model(
        self, request: HttpRequest, obj: FeatureRequest, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        # Public text is the staff's own; saving it does not publish. The form's clean() ran the
        # service's validation, so a refusal here is a race and is left to fail the whole save.
        if {"public_title", "public_summary"} & set(form.changed_data):
            services.feature_public_text_update(
                feature=obj,
                actor=acting_user(request),
                public_title=data["public_title"],
                public_summary=data["public_summary"],
            )
        self._save(
            request,
            lambda: services.feature_update(
                feature=obj, actor=acting_user(request), status=data["new_status"], comment=data["comment"]
            ),
        )
        if data.get("merge_into"):
            self._save(
                request,
                lambda: services.feature_merge(
                    duplicate=obj, survivor=data["merge_into"], actor=acting_user(request)
                ),
            )

    @admin.action(description=_("Publish to every reseller (public title and summary)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[FeatureRequest]) -> None:
        for feature in queryset:
            self._run(
                request,
                partial(
                    services.feature_publish,
                    feature=feature,
                    actor=acting_user(request),
                    public_title=feature.public_title,
                    public_summary=feature.public_summary,
                ),
            )

    @admin.action(description=_("Unpublish"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[FeatureRequest]) -> None:
        for feature in queryset:
            services.feature_unpublish(feature=feature, actor=acting_user(request))
