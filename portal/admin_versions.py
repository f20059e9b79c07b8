"""No lost updates on admin change pages: a form opened before someone else's save saves nothing.

Every change form carries a hidden, signed edit version: a fingerprint of the stored row when the
page was opened, the time it was opened and what each field showed then. Saving re-reads the row
under a lock (select_for_update, inside the transaction admin's changeform_view opens around the
whole save), so of two saves sent with the same version one wins and the other sees a new
fingerprint. The loser's form is shown again with a notice of who changed what since (the
admin's `changes_since`: timeline rows, plus admin's own LogEntry rows), with everything they typed,
with the fields they left alone refreshed to the stored values, and with the fresh version: saving
that page again goes through.

Portal pages do not need this: none of them edits a stored row from a form filled in earlier.
Each post is one action on the current row under the service's lock (a reply, a request, naming
the on-call contact, a vote, a remote access answer), and a repeat is refused by that service
(portal.service_errors.AlreadyDone). The profile page edits only the user's own account.

A fingerprint of the row rather than a `version` column: every write, from any service, the
portal or a beat task, changes the row, so nothing has to remember to bump a counter.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

VERSION_FIELD = "edit_version"
SIGNING_SALT = "portal.admin_versions"


@dataclass(frozen=True)
class Change:
    """One change someone else made after the form was opened, as the conflict notice lists it."""

    at: datetime
    actor: str
    what: str

    def __str__(self) -> str:
        when = timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M:%S")
        return _("%(when)s, %(actor)s: %(what)s") % {"when": when, "actor": self.actor, "what": self.what}


def row_fingerprint(obj: models.Model, ignored: tuple[str, ...] = ()) -> str:
    values = [
        (field.attname, str(getattr(obj, field.attname)))
        for field in obj._meta.concrete_fields
        if field.name not in ignored and field.attname not in ignored
    ]
    return hashlib.sha256(repr(values).encode()).hexdigest()


def _shown(field: forms.Field, value: Any) -> str:
    """A field's value as comparable text: what it showed when opened, or what came back."""
    prepared = field.prepare_value(value)
    if isinstance(prepared, list | tuple):
        return "\n".join(str(item) for item in prepared)
    if prepared is None:
        return ""
    return str(prepared).replace("\r\n", "\n").strip()


def _widget_data(field: forms.Field, name: str, value: Any) -> dict[str, list[str]]:
    """What a browser would post for this value: widget-level names (split date/time has two)."""
    context = field.widget.get_context(name, field.prepare_value(value), {})["widget"]
    widgets = context.get("subwidgets") or [context]
    data: dict[str, list[str]] = {}
    for widget in widgets:
        raw = widget["value"]
        data[widget["name"]] = [str(item) for item in raw] if isinstance(raw, list | tuple) else (
            [] if raw is None else [str(raw)]
        )
    return data


def log_entries_since(obj: models.Model, since: datetime) -> list[Change]:
    """Admin's own change log of this object: covers saves that write no timeline row."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk), action_time__gt=since,
    ).select_related("user").order_by("action_time")
    return [
        Change(at=entry.action_time, actor=str(entry.user),
               what=entry.get_change_message() or _("saved the page"))
        for entry in entries
    ]


def timeline_changes(events: Any) -> list[Change]:
    """Timeline rows (a case's CaseEvent, a request's events) as changes: kind, from -> to, text."""
    changes = []
    for event in events:
        label = event.get_kind_display() if hasattr(event, "get_kind_display") else _("Status changed")
        old = getattr(event, "old_value", getattr(event, "old_status", ""))
        new = getattr(event, "new_value", getattr(event, "new_status", ""))
        what = f"{label}: {old or '-'} \u2192 {new or '-'}" if (old or new) else str(label)
        text = getattr(event, "detail", "") or getattr(event, "body", "") or getattr(event, "note", "")
        if text:
            what = f"{what} ({text[:120]})"
        changes.append(Change(at=event.created_at, actor=str(event.actor or _("the system")), what=what))
    return changes


def versioned_form(base: type[forms.ModelForm], admin: VersionedAdminMixin,
                   request: HttpRequest) -> type[forms.ModelForm]:
    """`base` with the hidden edit version and the conflict check in clean()."""

    class VersionedForm(base):  # type: ignore[misc,valid-type]
        edit_version = forms.CharField(widget=forms.HiddenInput, required=False)
        data: Any  # the submitted QueryDict; replaced by a refreshed copy on a conflict

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if not self.is_bound and self.instance.pk is not None:
                self.initial[VERSION_FIELD] = self.version_token()

        @property
        def changed_data(self) -> list[str]:
            # The version is bookkeeping: admin's change message and has_changed() ignore it.
            return [name for name in super().changed_data if name != VERSION_FIELD]

        def shown_values(self) -> dict[str, str]:
            return {
                name: _shown(field, self[name].initial)
                for name, field in self.fields.items() if name != VERSION_FIELD and not field.disabled
            }

        def version_token(self) -> str:
            return signing.dumps({
                "fingerprint": row_fingerprint(self.instance, admin.version_ignored_fields),
                "opened_at": timezone.now().isoformat(),
                "shown": self.shown_values(),
            }, salt=SIGNING_SALT, compress=True)

        def clean(self) -> Any:
            data = super().clean()
            if self.instance.pk is None:
                return data
            model = type(self.instance)
            # The lock lasts until admin's transaction ends: a second save with the same version
            # waits here, then finds the first one's fingerprint.
            stored = model._default_manager.select_for_update().get(pk=self.instance.pk)
            token = self.data.get(self.add_prefix(VERSION_FIELD))
            if token is None:
                # Not sent at all: a script's POST, not a page (every rendered page carries one).
                # A page sends it even when empty or tampered with, and that is a conflict below.
                return data
            try:
                sent = signing.loads(token, salt=SIGNING_SALT)
            except signing.BadSignature:
                sent = None
            if sent is not None and sent.get("fingerprint") == row_fingerprint(stored, admin.version_ignored_fields):
                return data
            self._show_conflict(stored, sent)
            return data

        def _show_conflict(self, stored: models.Model, sent: dict[str, Any] | None) -> None:
            fresh = type(self)(instance=stored)
            fresh_shown = fresh.shown_values()
            opened_shown: dict[str, str] = (sent or {}).get("shown", {})
            refreshed = self.data.copy()
            for name, field in self.fields.items():
                if name == VERSION_FIELD or field.disabled or name not in opened_shown:
                    continue
                mine = _shown(field, self.cleaned_data[name]) if name in self.cleaned_data else None
                if mine == opened_shown[name] and fresh_shown.get(name) != opened_shown[name]:
                    # Left alone by this user, changed by someone else: show the stored value.
                    for key, values in _widget_data(field, self.add_prefix(name), fresh[name].initial).items():
                        refreshed.setlist(key, values)
            refreshed[self.add_prefix(VERSION_FIELD)] = fresh.version_token()
            self.data = refreshed
            self.add_error(None, _(
                "Someone else saved this page after you opened it, so nothing was saved. What you typed "
                "is kept below; the fields you did not touch now show the stored values. Check them and "
                "save again to apply your changes."
            ))
            if sent is None:
                return
            for change in admin.changes_since(stored, datetime.fromisoformat(sent["opened_at"])):
                self.add_error(None, _("Changed since: %(change)s") % {"change": change})

    VersionedForm.__name__ = base.__name__
    return VersionedForm


class VersionedAdminMixin:
    """Mix into a ModelAdmin (before ModelAdmin) so its change page refuses stale saves."""

    # Bookkeeping columns that change without anyone editing the object (the sweeps' alert times).
    version_ignored_fields: ClassVar[tuple[str, ...]] = ()

    def timeline_of(self, obj: Any) -> Any:
        """The object's history rows (a queryset with created_at and actor), or None."""
        return getattr(obj, "events", None)

    def changes_since(self, obj: Any, since: datetime) -> list[Change]:
        """Who changed what after `since`: the timeline's rows, then admin's own log."""
        timeline = self.timeline_of(obj)
        changes = [] if timeline is None else timeline_changes(
            timeline.filter(created_at__gt=since).select_related("actor").order_by("created_at")
        )
        return sorted([*changes, *log_entries_since(obj, since)], key=lambda change: change.at)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        parent: Any = super()
        if obj is None:
            return parent.get_form(request, obj, change, **kwargs)
        base = kwargs.pop("form", None) or getattr(self, "form", forms.ModelForm)
        return parent.get_form(request, obj, change, form=versioned_form(base, self, request), **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        parent: Any = super()
        fieldsets = list(parent.get_fieldsets(request, obj))
        if obj is None or not fieldsets:
            return fieldsets
        name, options = fieldsets[0]
        if VERSION_FIELD not in options.get("fields", ()):
            fieldsets[0] = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
        return fieldsets
