"""Every password set, whichever view or command sets it, reaches the trail.

Django calls password_changed() on each configured validator after a new password is saved
(AbstractBaseUser.save), from the portal's change and reset pages, admin's password forms and
manage.py alike. This validator accepts every password and only records that hook."""

from __future__ import annotations

from typing import Any

from portal.audit.context import current_request
from portal.audit.models import AuditKind
from portal.audit.services import audit_record

RESET_VIEWS = {"password_reset_confirm"}


class RecordPasswordChanges:
    def validate(self, password: str, user: Any = None) -> None:
        return None

    def get_help_text(self) -> str:
        return ""

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        request = current_request.get()
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name in RESET_VIEWS:
            audit_record(kind=AuditKind.PASSWORD_RESET_COMPLETED, actor=user, obj=user)
            return
        by = getattr(request, "user", None)
        actor = by if by is not None and by.is_authenticated else user
        audit_record(kind=AuditKind.PASSWORD_CHANGED, actor=actor, obj=user)
