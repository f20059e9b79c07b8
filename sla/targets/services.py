"""Writes on SLA policy: a target edit applies to milestones created afterwards and is recorded."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.access import require_care_staff
from portal.models import User
from sla.targets.deadlines import describe
from sla.targets.models import SlaTarget, SlaTargetChange, TargetUnit


@transaction.atomic
def target_update(*, target: SlaTarget, actor: User, unit: str, amount: int) -> SlaTarget:
    require_care_staff(actor)
    if unit not in TargetUnit.values:
        raise ValidationError({"unit": _("Unknown unit.")})
    if unit != TargetUnit.NONE and amount < 1:
        raise ValidationError({"amount": _("A target needs a positive amount.")})
    stored = SlaTarget.objects.select_for_update().get(pk=target.pk)
    old = describe(stored.unit, stored.amount)
    new_amount = 0 if unit == TargetUnit.NONE else amount
    if (stored.unit, stored.amount) == (unit, new_amount):
        return stored
    stored.unit, stored.amount = unit, new_amount
    stored.save(update_fields=["unit", "amount"])
    SlaTargetChange.objects.create(target=stored, changed_by=actor, old_value=old, new_value=describe(unit, new_amount))
    return stored
