"""Feature requests: submitted by Designated Contacts, tracked by staff (status, comments, emails),
published to every reseller with staff-edited public text, voted on (one vote per contact), and
merged when duplicated (votes move to the surviving request)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.requests.common import RequestEventKind, record_status_change
from cases.requests.features.emails import feature_submitted_notify, feature_updated_notify
from cases.requests.features.models import FeatureEvent, FeatureRequest, FeatureVote
from portal.access import require_care_staff, require_designated_contact
from portal.history.services import changes_record
from portal.models import CloudService, User


@transaction.atomic
def feature_submit(
    *, contact: User, title: str, problem: str, service: CloudService, business_value: str
) -> FeatureRequest:
    membership = require_designated_contact(contact)
    errors = {
        field: [_("This field is required.")]
        for field, value in (
            ("title", title),
            ("problem", problem),
            ("business_value", business_value),
        )
        if not value.strip()
    }
    if errors:
        raise ValidationError(errors)
    feature = FeatureRequest.objects.create(
        reseller_id=membership.reseller_id,
        requested_by=contact,
        title=title.strip(),
        problem=problem.strip(),
        service=service,
        business_value=business_value.strip(),
    )
    FeatureEvent.objects.create(
        request=feature,
        kind=RequestEventKind.SUBMITTED,
        actor=contact,
        new_value=str(feature.get_status_display()),
    )
    feature_submitted_notify(feature=feature)
    return feature


@transaction.atomic
def feature_update(
    *, feature: FeatureRequest, actor: User, status: str, comment: str = ""
) -> FeatureEvent | None:
    """A status change and/or staff comment, emailed to the submitting reseller's Designated
    Contacts."""
    require_care_staff(actor)
    feature = FeatureRequest.objects.select_for_update().get(pk=feature.pk)
    event = record_status_change(
        feature,
        FeatureEvent,
        actor=actor,
        status=status,
        comment=comment,
        status_choices=FeatureRequest.Status,
    )
    if event is not None:
        feature_updated_notify(feature=feature, event=event)
    return event


@transaction.atomic
def feature_publish(
    *, feature: FeatureRequest, actor: User, public_title: str, public_summary: str
) -> FeatureRequest:
    """Shows the request to every reseller, with the staff-written public title and summary only."""
    require_care_staff(actor)
    feature = FeatureRequest.objects.select_for_update().get(pk=feature.pk)
    errors = {
        field: [_("Write the public text before publishing.")]
        for field, value in (("public_title", public_title), ("public_summary", public_summary))
        if not value.strip()
    }
    if errors:
        raise ValidationError(errors)
    if feature.merged_into_id is not None:
        raise ValidationError(
            _("A merged request cannot be published; publish the one it was merged into.")
        )
    feature.public_title = public_title.strip()
    feature.public_summary = public_summary.strip()
    feature.is_published = True
    feature.save(update_fields=["public_title", "public_summary", "is_published", "updated_at"])
    FeatureEvent.objects.create(
        request=feature,
        kind=RequestEventKind.PUBLISHED,
        actor=actor,
        new_value=feature.public_title[:200],
    )
    return feature


@transaction.atomic
def feature_unpublish(*, feature: FeatureRequest, actor: User) -> FeatureRequest:
    require_care_staff(actor)
    feature = FeatureRequest.objects.select_for_update().get(pk=feature.pk)
    if feature.is_published:
        feature.is_published = False
        feature.save(update_fields=["is_published", "updated_at"])
        FeatureEvent.objects.create(request=feature, kind=RequestEventKind.UNPUBLISHED, actor=actor)
    return feature


@transaction.atomic
def feature_vote(*, feature: FeatureRequest, contact: User) -> FeatureVote:
    """One vote per Designated Contact, on their own reseller's requests or on published ones."""
    require_designated_contact(contact)
    if not FeatureRequest.objects.visible_to(contact).filter(pk=feature.pk).exists():
        raise PermissionDenied("Not visible to this contact.")
    feature = FeatureRequest.objects.select_for_update().get(pk=feature.pk)
    if feature.merged_into_id is not None:
        raise ValidationError(_("This request was merged into another; vote for that one."))
    if FeatureVote.objects.filter(feature=feature, voter=contact).exists():
        raise ValidationError(_("You have already voted for this request."))
    return FeatureVote.objects.create(feature=feature, voter=contact)


@transaction.atomic
def feature_merge(
    *, duplicate: FeatureRequest, survivor: FeatureRequest, actor: User
) -> FeatureRequest:
    """Merges a duplicate into the surviving request: the duplicate points to it, is unpublished,
    and its votes move over (a contact who voted for both keeps one vote)."""
    require_care_staff(actor)
    if duplicate.pk == survivor.pk:
        raise ValidationError(_("A request cannot be merged into itself."))
    locked = {
        f.pk: f
        for f in FeatureRequest.objects.select_for_update().filter(
            pk__in=[duplicate.pk, survivor.pk]
        )
    }
    duplicate, survivor = locked[duplicate.pk], locked[survivor.pk]
    if duplicate.merged_into_id is not None:
        raise ValidationError(_("This request is already merged."))
    if survivor.merged_into_id is not None:
        raise ValidationError(
            _("The surviving request is itself merged; merge into the one it points to.")
        )
    already = set(survivor.votes.values_list("voter_id", flat=True))
    FeatureVote.objects.filter(feature=duplicate).exclude(voter_id__in=already).update(
        feature=survivor
    )
    FeatureVote.objects.filter(feature=duplicate).delete()
    # Requests earlier merged into the duplicate now point to the survivor too.
    FeatureRequest.objects.filter(merged_into=duplicate).update(merged_into=survivor)
    duplicate.merged_into = survivor
    duplicate.is_published = False
    duplicate.save(update_fields=["merged_into", "is_published", "updated_at"])
    merged = FeatureEvent.objects.create(
        request=duplicate, kind=RequestEventKind.MERGED, actor=actor, new_value=survivor.reference
    )
    feature_updated_notify(feature=duplicate, event=merged)
    FeatureEvent.objects.create(
        request=survivor, kind=RequestEventKind.MERGED, actor=actor, old_value=duplicate.reference
    )
    return survivor


# --- public text, edited by Care staff in admin and recorded ---------------------------------------


PUBLIC_TITLE_MAX_LENGTH = 200


def feature_public_text_validate(*, feature: FeatureRequest, public_title: str, public_summary: str) -> None:
    """A published request is read by every reseller: its public text cannot be blanked."""
    errors: dict[str, list[str]] = {}
    if feature.is_published:
        for name, value in (("public_title", public_title), ("public_summary", public_summary)):
            if not value.strip():
                errors[name] = [_("A published request needs its public text; unpublish it first.")]
    if len(public_title.strip()) > PUBLIC_TITLE_MAX_LENGTH:
        errors["public_title"] = [_("At most %(max)s characters.") % {"max": PUBLIC_TITLE_MAX_LENGTH}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def feature_public_text_update(
    *, feature: FeatureRequest, actor: User, public_title: str, public_summary: str
) -> FeatureRequest:
    """The text every reseller sees once published; saving it does not publish."""
    require_care_staff(actor)
    stored = FeatureRequest.objects.select_for_update().get(pk=feature.pk)
    feature_public_text_validate(feature=stored, public_title=public_title, public_summary=public_summary)
    before = {"public_title": stored.public_title, "public_summary": stored.public_summary}
    after = {"public_title": public_title.strip(), "public_summary": public_summary.strip()}
    moved = [name for name in after if before[name] != after[name]]
    if moved:
        stored.public_title, stored.public_summary = after["public_title"], after["public_summary"]
        stored.save(update_fields=[*moved, "updated_at"])
        changes_record(obj=stored, actor=actor, before=before, after=after)
    return stored
