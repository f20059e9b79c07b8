"""Files received with a form that went back for correction ("staged"), kept so nothing is lost,
and bounded so a form sent back again and again cannot fill the disk:
- the files one form holds (kept ones included) count against the per-request limits;
- one user's staged files together stay under ATTACHMENT_MAX_STAGED_BYTES_PER_USER;
- they count against the reseller's quota before they are attached;
- a file unticked on the form is deleted at once, and an abandoned form's files after
  STAGED_UPLOAD_MAX_AGE_HOURS by the beat (staged_uploads_purge), from storage too."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.intake import attachments as attachment_rules
from cases.intake.quota import StorageUse, quota_room_message, storage_use_of
from cases.models import StagedUpload
from portal.access import is_care_staff, require_designated_contact
from portal.models import Reseller, User
from portal.upload_limits import RefusedUpload

_BATCH = re.compile(r"^[0-9a-f]{32}$")
NAMES_SHOWN = 5


def batch_token(posted: str | None) -> str:
    """The form's token if it is one of ours in shape, else a new one (a first visit, or tampering:
    rows are always filtered by owner too, so a forged token reaches only one's own files)."""
    return posted if posted and _BATCH.match(posted) else uuid.uuid4().hex


@dataclass
class StagingResult:
    batch: str
    staged: list[StagedUpload] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    new_findings: bool = False


def staged_uploads_receive(
    *, owner: User, reseller: Reseller, batch: str, keep_ids: Iterable[int], uploads: Sequence[UploadedFile]
) -> StagingResult:
    """Keeps the ticked files of this form, deletes the unticked, and stages the new files that fit.
    Each file that is refused is named in a message; the others are kept."""
    if not is_care_staff(owner):
        require_designated_contact(owner)  # readers never stage; Care may, on any reseller's case
    keep = set(keep_ids)
    kept = list(StagedUpload.objects.filter(owner=owner, pk__in=keep).order_by("pk"))
    staged_uploads_discard(owner=owner, batch=batch, keep_ids=[item.pk for item in kept])
    StagedUpload.objects.filter(pk__in=[item.pk for item in kept]).exclude(batch=batch).update(batch=batch)
    result = StagingResult(batch=batch, staged=kept)
    if len(kept) < len(keep):
        # Purged, or never this user's: the same words for both, so nothing is learnt of others' files.
        result.errors.append(ngettext(
            "A file kept from your last attempt is no longer available (unfinished forms are cleared "
            "after %(hours)s hours): choose it again.",
            "Files kept from your last attempt are no longer available (unfinished forms are cleared "
            "after %(hours)s hours): choose them again.", len(keep) - len(kept),
        ) % {"hours": settings.STAGED_UPLOAD_MAX_AGE_HOURS})
    refused: dict[str, list[str]] = {}
    form_bytes = sum(item.size for item in kept)
    user_bytes = StagedUpload.objects.filter(owner=owner).aggregate(total=Sum("size"))["total"] or 0
    use = storage_use_of(reseller)
    for upload in uploads:
        size = upload.size or 0
        if isinstance(upload, RefusedUpload):
            reason = upload.refused_because
        elif len(result.staged) >= settings.ATTACHMENT_MAX_FILES_PER_REQUEST:
            reason = RefusedUpload.TOO_MANY
        elif form_bytes + size > settings.ATTACHMENT_MAX_REQUEST_BYTES:
            reason = RefusedUpload.TOO_LARGE
        elif user_bytes + size > settings.ATTACHMENT_MAX_STAGED_BYTES_PER_USER:
            reason = "staged"
        elif not use.fits(form_bytes + size):
            reason = "quota"
        else:
            try:
                item = upload_stage(owner=owner, upload=upload, batch=batch)
            except ValidationError as error:
                result.errors.extend(error.messages)
                continue
            result.staged.append(item)
            result.new_findings = result.new_findings or bool(item.scan_findings)
            form_bytes += item.size
            user_bytes += item.size
            continue
        refused.setdefault(reason, []).append(attachment_rules.clean_original_name(upload.name or ""))
    result.errors.extend(_refusal_message(reason, names, use) for reason, names in refused.items())
    return result


def upload_stage(*, owner: User, upload: UploadedFile, batch: str = "") -> StagedUpload:
    """Validates and stores one file before its case exists, so a re-shown form loses nothing."""
    name = attachment_rules.validate_upload(upload)
    findings = attachment_rules.findings_for(upload, name)
    staged = StagedUpload(
        owner=owner, original_name=name, size=upload.size or 0, scan_findings=findings, batch=batch
    )
    staged.file.save(attachment_rules.server_name(name), upload, save=False)
    staged.save()
    return staged


def staged_uploads_discard(*, owner: User, batch: str, keep_ids: Iterable[int] = ()) -> int:
    """Deletes this form's staged files that the user did not keep (they unticked them)."""
    dropped = StagedUpload.objects.filter(owner=owner, batch=batch).exclude(pk__in=list(keep_ids))
    return _delete_with_files(dropped.values_list("pk", flat=True))


def staged_uploads_purge(*, now: datetime) -> int:
    """The beat's clean-up: staged files of forms abandoned longer than STAGED_UPLOAD_MAX_AGE_HOURS."""
    cutoff = now - timedelta(hours=settings.STAGED_UPLOAD_MAX_AGE_HOURS)
    return _delete_with_files(StagedUpload.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True))


def _delete_with_files(pks: Iterable[int]) -> int:
    """One row at a time, and the file only once its row is gone: a form that attaches the same
    row concurrently locks it first (select_for_update in _attach_staged), takes the file over and
    deletes the row, so the delete here then finds nothing and leaves the file alone."""
    deleted = 0
    for pk in list(pks):
        with transaction.atomic():
            item = StagedUpload.objects.select_for_update().filter(pk=pk).first()
            if item is None:
                continue
            item.delete()
            if item.file.name:
                transaction.on_commit(partial(item.file.storage.delete, item.file.name))
        deleted += 1
    return deleted


def _refusal_message(reason: str, names: list[str], use: StorageUse) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown = _("%(names)s and %(count)s more") % {"names": shown, "count": len(names) - NAMES_SHOWN}
    params = {"count": len(names), "names": shown}
    if reason == RefusedUpload.TOO_MANY:
        return ngettext(
            "%(count)s file was not received (%(names)s): at most %(limit)s files can be sent at once, "
            "counting the files kept from your last attempt. Send it again once this is saved.",
            "%(count)s files were not received (%(names)s): at most %(limit)s files can be sent at once, "
            "counting the files kept from your last attempt. Send them again once this is saved.",
            len(names),
        ) % {**params, "limit": settings.ATTACHMENT_MAX_FILES_PER_REQUEST}
    if reason == RefusedUpload.TOO_LARGE:
        return ngettext(
            "%(count)s file was not received (%(names)s): the files sent at once may total at most "
            "%(limit)s, counting the files kept from your last attempt. Send it again once this is saved.",
            "%(count)s files were not received (%(names)s): the files sent at once may total at most "
            "%(limit)s, counting the files kept from your last attempt. Send them again once this is saved.",
            len(names),
        ) % {**params, "limit": filesizeformat(settings.ATTACHMENT_MAX_REQUEST_BYTES)}
    if reason == "staged":
        return ngettext(
            "%(count)s file was not received (%(names)s): files waiting in your unfinished forms already "
            "take %(limit)s. Finish or untick those first.",
            "%(count)s files were not received (%(names)s): files waiting in your unfinished forms already "
            "take %(limit)s. Finish or untick those first.",
            len(names),
        ) % {**params, "limit": filesizeformat(settings.ATTACHMENT_MAX_STAGED_BYTES_PER_USER)}
    return ngettext(
        "%(count)s file was not received (%(names)s). %(quota)s",
        "%(count)s files were not received (%(names)s). %(quota)s",
        len(names),
    ) % {**params, "quota": quota_room_message(use)}
