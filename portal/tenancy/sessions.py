"""Sessions that know their user, so ending someone's access deletes their sessions at once.

Django's documented way to extend the database session engine ("Extending database-backed session
engines"): the same store with a session model that carries an indexed user column, written
whenever the session is saved (so it follows every new session id: login, MFA, cycle_key).
SESSION_ENGINE names this module. Deleting one user's sessions is then one indexed DELETE instead of
decoding every row of the session table.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserSession(AbstractBaseSession):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        # No database constraint: a request still running while its user is deleted saves its
        # session afterwards; the row is harmless (it finds no user) and expires as usual.
        db_constraint=False, verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls) -> type[SessionStore]:
        return SessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls) -> type[UserSession]:
        return UserSession

    def create_model_instance(self, data: dict[str, Any]) -> UserSession:
        instance: UserSession = super().create_model_instance(data)  # type: ignore[assignment]
        try:
            instance.user_id = get_user_model()._meta.pk.to_python(data.get(SESSION_KEY))
        except ValidationError:
            instance.user_id = None
        return instance


def sessions_end(*, user_id: int) -> int:
    """Signs the user out everywhere: their next request meets the login page. Returns how many."""
    deleted, _by_model = UserSession.objects.filter(user_id=user_id).delete()
    return deleted
