"""The user admin. Thin: which fields each staff member may change, and every refusal, come from
portal.tenancy.users (the rules are written down there) and portal.access."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from portal import access
from portal.access import acting_user
from portal.admin_services import ServiceAdminMixin
from portal.mfa.admin import MfaResetActionMixin
from portal.models import User
from portal.tenancy import users

BOOLEAN_FIELDS = frozenset({"is_superuser", "is_staff", "is_active"})
TRUE_VALUES = frozenset({"on", "true", "True", "1"})


class UserAddForm(forms.ModelForm):
    """No password here (rule 5): the new user chooses one through the reset link."""

    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name"]


def requested_locked_changes(form: forms.ModelForm, locked: frozenset[str]) -> set[str]:
    """Read-only fields a POST tries to change anyway: refused, never silently dropped."""
    instance, data, requested = form.instance, form.data, set()
    for name in locked - set(form.fields):
        if name not in data:
            continue  # an unchanged read-only field is simply absent from the POST
        if name in BOOLEAN_FIELDS:
            changed = (data.get(name) in TRUE_VALUES) != bool(getattr(instance, name))
        elif name in ("groups", "user_permissions"):
            current = {str(pk) for pk in getattr(instance, name).values_list("pk", flat=True)} if instance.pk else set()
            changed = set(data.getlist(name)) != current  # type: ignore[attr-defined]
        else:
            changed = data.get(name) != str(getattr(instance, name) or "")
        if changed:
            requested.add(name)
    return requested


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """The password's summary without Django's "Reset password" button, which opens a form to set it."""

    template_name = "admin/tenancy/password_summary.html"

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        # From the project's templates/ (the form renderer looks only in apps' folders).
        return mark_safe(loader.render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308


def guarded_form(form_class: Any, actor: User, user: User | None, locked: frozenset[str]) -> Any:
    password_settable = user is not None and access.may_set_password_of(actor, user)

    class RightsGuardedForm(form_class):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            password = self.fields.get("password")
            if password is not None and not password_settable:
                password.widget = PasswordSummaryWidget()
                password.help_text = _(
                    "Passwords are not set here: use the action “Send password reset email” and "
                    "the user chooses one through the link.")

        def clean(self) -> Any:
            data = super().clean()
            try:
                users.user_changes_validate(actor=actor, user=user,
                                            changed={*self.changed_data, *requested_locked_changes(self, locked)})
            except ValidationError as error:
                self.add_error(None, error)
            return data

    RightsGuardedForm.__name__ = form_class.__name__
    return RightsGuardedForm


@admin.register(User)
class UserAdmin(MfaResetActionMixin, ServiceAdminMixin, SimpleHistoryAdmin, BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (_("Preferences"), {"fields": ("time_zone", "language")}))
    add_form = UserAddForm
    add_fieldsets = ((None, {"fields": ("username", "email", "first_name", "last_name")}),)
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active", "time_zone")
    actions = ["send_password_reset", "deactivate", "reset_mfa"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        locked = users.user_locked_fields(actor=acting_user(request), user=obj) if obj is not None else ()
        return (*super().get_readonly_fields(request, obj), *sorted(locked), "last_login", "date_joined")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        actor = acting_user(request)
        return guarded_form(form, actor, obj, users.user_locked_fields(actor=actor, user=obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not access.may_change_user(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        try:
            users.user_admin_save(actor=acting_user(request), user=obj, changed=form.changed_data, adding=not change)
        except ValidationError as error:
            self.refuse(error)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        user = self.get_object(request, unquote(id))
        if user is None or not access.may_set_password_of(request.user, user):
            raise PermissionDenied("Passwords are set by their owners, through the reset link.")
        return super().user_change_password(request, id, form_url)

    def has_send_password_reset_permission(self, request: HttpRequest) -> bool:
        return access.may_manage_users(request.user)

    has_deactivate_permission = has_send_password_reset_permission

    @admin.action(description=_("Send password reset email"), permissions=["send_password_reset"])
    def send_password_reset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(request, queryset, users.password_reset_send,
                   lambda n: ngettext("%(count)s password reset email sent.",
                                      "%(count)s password reset emails sent.", n) % {"count": n})

    @admin.action(description=_("Deactivate and end their sessions and tokens"), permissions=["deactivate"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(request, queryset, users.user_deactivate,
                   lambda n: ngettext("%(count)s user deactivated.", "%(count)s users deactivated.", n) % {"count": n})

    def _each(self, request: HttpRequest, queryset: QuerySet[User], action: Any, done: Any) -> None:
        count = 0
        for user in queryset:
            try:
                action(actor=acting_user(request), user=user)
            except (ValidationError, PermissionDenied) as error:
                text = "; ".join(error.messages) if isinstance(error, ValidationError) else _("not allowed")
                messages.error(request, f"{user.username}: {text}")
            else:
                count += 1
        if count:
            messages.success(request, done(count))
