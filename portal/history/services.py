"""The one writer of configuration history: services call changes_record inside their transaction."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from portal.history.models import ChangeRecord
from portal.tenancy.models import User

M = TypeVar("M", bound=Model)


def as_text(value: object) -> str:
    """How a value is stored in the history: blank for None, the str of a related object, JSON for
    lists and mappings (keys sorted, so equal values read the same)."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return str(value)


def changes_record(
    *, obj: Model, actor: User, before: Mapping[str, object], after: Mapping[str, object]
) -> list[ChangeRecord]:
    """One row per field of `after` whose value differs from `before` (a field missing from
    `before` was not set: its old value is blank, as on creation). Returns the rows written."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    rows = [
        ChangeRecord(
            content_type=content_type, object_id=obj.pk, object_repr=str(obj)[:200], actor=actor,
            field=field, old_value=as_text(before.get(field)), new_value=as_text(new),
        )
        for field, new in after.items()
        if field not in before or before[field] != new
    ]
    return ChangeRecord.objects.bulk_create(rows)


def validated_copy(obj: M, changes: Mapping[str, Any], *, allowed: Iterable[str]) -> M:
    """A copy of `obj` with `changes` applied and the model's own validation run (full_clean, which
    may normalise values); raises ValidationError for a field not in `allowed` or an invalid value.
    `obj` itself is left as it was, so a refused change leaves nothing behind."""
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(unknown)})
    probe = copy.copy(obj)
    for field, value in changes.items():
        setattr(probe, field, value)
    probe.full_clean()
    return probe
