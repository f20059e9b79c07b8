"""Signing in and loading the signed-in user, with their reseller membership in the same query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class MembershipModelBackend(ModelBackend):
    """Django's ModelBackend, but the user of every request arrives with their membership and
    reseller: nearly every page reads both (tenancy, navigation, the MFA rule), which were two
    more queries a request. Staff have no membership; its absence is cached as well.

    It is also the last word on passwords: a wrong one raises PermissionDenied (Django's signal
    for "stop trying backends"), so the plain ModelBackend listed after it, kept only so that
    sessions signed in before this backend existed stay signed in, never hashes it a second time."""

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("membership__reseller").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            raise PermissionDenied
        return user
