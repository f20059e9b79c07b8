from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.mfa import services


class MfaResetActionMixin:
    """The "Reset MFA" action of the user admin: a user who lost their phone enrols again."""

    @admin.action(description=_("Reset MFA (delete authenticator and recovery codes)"), permissions=["change"])
    def reset_mfa(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        done = 0
        for user in queryset:
            try:
                services.mfa_reset(actor=request.user, user=user)
            except PermissionDenied as error:
                messages.error(request, f"{user}: {error}")
            else:
                done += 1
        if done:
            messages.success(request, ngettext(
                "Two-step verification reset for %(count)s user.",
                "Two-step verification reset for %(count)s users.", done,
            ) % {"count": done})
