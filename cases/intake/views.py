"""Portal pages for cases. Thin: access comes from portal.access, writes from cases.intake.services."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.intake import services, staging
from cases.intake.forms import CaseForm, ReplyForm, UploadForm, max_upload_mb
from cases.intake.quota import storage_use_of
from cases.intake.selectors import (
    attachment_for,
    case_filter_for,
    case_for,
    case_for_update,
    case_timeline,
    case_with_details,
    open_cases_for,
)
from cases.intake.staging import StagingResult
from cases.models import Case, StagedUpload
from portal.access import acting_user, is_designated_contact, require_designated_contact, reseller_of
from portal.decorators import reseller_required
from portal.models import MIN_DESIGNATED_CONTACTS, EndUserAccount, Reseller
from portal.pagination import PrimaryKeyPaginator
from portal.service_errors import AlreadyDone, tell_already_done
from portal.tenancy.selectors import designated_count

CASES_PER_PAGE = 25


@login_required
@reseller_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    case_filter = case_filter_for(request.user, request.GET)
    page = PrimaryKeyPaginator(case_filter.qs, CASES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/intake/case_list.html", {
        "filter": case_filter, "page": page, "query": query.urlencode(),
    })


def _stage_files(request: HttpRequest, reseller: Reseller, form_errors: list[str]) -> StagingResult:
    """Keeps earlier staged files the user still wants, stages new ones that fit; reports new findings."""
    result = staging.staged_uploads_receive(
        owner=acting_user(request), reseller=reseller, batch=staging.batch_token(request.POST.get("staged_batch")),
        keep_ids=[int(v) for v in request.POST.getlist("staged") if v.isdigit()],
        uploads=request.FILES.getlist("attachments"),
    )
    form_errors.extend(result.errors)
    return result


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    reseller = require_designated_contact(request.user).reseller
    accounts = EndUserAccount.objects.visible_to(request.user).prefetch_related("services")
    file_errors: list[str] = []
    staged: list[StagedUpload] = []
    batch = staging.batch_token(None)
    if request.method == "POST":
        form = CaseForm(request.POST, request.FILES, accounts=accounts)
        received = _stage_files(request, reseller, file_errors)
        staged, batch = received.staged, received.batch
        form_ok = form.is_valid()
        if received.new_findings:
            file_errors.append(_(
                "We found what looks like customer data in your files (listed below). Remove those "
                "files or confirm that they are sanitized, then submit again."
            ))
        if form_ok and not file_errors:
            try:
                case = services.case_create(
                    contact=acting_user(request), details=form.service_details(), staged=staged,
                    logs_sanitized=form.cleaned_data["logs_sanitized"], refuse_repeats=True,
                )
            except AlreadyDone as repeated:
                tell_already_done(request, repeated)
                existing = cast(Case, repeated.existing)
                return redirect("case_detail", number=existing.number)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Case %(number)s was submitted.") % {"number": case.number})
                return redirect("case_detail", number=case.number)
    else:
        form = CaseForm(accounts=accounts, initial={"impacted_time_zone": acting_user(request).time_zone})
    return render(request, "cases/intake/case_form.html", {
        "form": form, "file_errors": file_errors, "staged": staged, "staged_batch": batch,
        "storage_use": storage_use_of(reseller), **_upload_limits(), "accounts": accounts,
        "care_phone": settings.CARE_PHONE,
    })


def _upload_limits() -> dict[str, object]:
    return {"max_upload_mb": max_upload_mb(), "max_files": settings.ATTACHMENT_MAX_FILES_PER_REQUEST,
            "max_request_bytes": settings.ATTACHMENT_MAX_REQUEST_BYTES}


def _detail_context(request: HttpRequest, case: Case, **extra: object) -> dict[str, object]:
    context: dict[str, object] = {
        "case": case,
        "timeline": case_timeline(case, request.user),
        "attachments": case.attachments.all(),
        "can_update": is_designated_contact(request.user),
        "reply_form": ReplyForm(),
        "upload_form": UploadForm(),
        "staged_batch": staging.batch_token(None),
        "storage_use": storage_use_of(case.reseller),
        **_upload_limits(),
        "care_phone": settings.CARE_PHONE,
    }
    context.update(extra)
    return context


@login_required
@reseller_required
@require_GET
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for(request.user, number, queryset=case_with_details(Case.objects.all()))
    return render(request, "cases/intake/case_detail.html", _detail_context(request, case))


@login_required
@reseller_required
@require_POST
def case_reply(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for_update(request.user, number)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.case_reply(case=case, author=acting_user(request), body=form.cleaned_data["body"])
        except AlreadyDone as repeated:
            tell_already_done(request, repeated)
        else:
            messages.success(request, _("Your reply was sent to Customer Care."))
        return redirect("case_detail", number=case.number)
    return _detail_with_errors(request, case, reply_form=form)


@login_required
@reseller_required
@require_POST
def case_upload(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for_update(request.user, number)
    form = UploadForm(request.POST, request.FILES)
    errors: list[str] = []
    received = _stage_files(request, case.reseller, errors)
    staged = received.staged
    form.is_valid()
    if not staged and not errors:
        errors.append(_("Choose at least one file."))
    if received.new_findings:
        errors.append(_("We found what looks like customer data in your files (listed below). "
                        "Remove those files or confirm that they are sanitized."))
    if not errors:
        try:
            services.case_add_attachments(
                case=case, actor=acting_user(request), staged=staged,
                logs_sanitized=form.cleaned_data.get("logs_sanitized", False),
            )
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            messages.success(request, _("Your files were added to the case."))
            return redirect("case_detail", number=case.number)
    return _detail_with_errors(
        request, case, upload_form=form, upload_errors=errors, staged=staged, staged_batch=received.batch
    )


def _detail_with_errors(request: HttpRequest, case: Case, **extra: object) -> HttpResponse:
    return render(request, "cases/intake/case_detail.html", _detail_context(request, case, **extra), status=400)


@login_required
@require_GET
def attachment_download(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    attachment = attachment_for(request.user, number, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


DASHBOARD_CASES = 10


@login_required
@reseller_required
def dashboard(request: HttpRequest) -> HttpResponse:
    reseller = reseller_of(request.user)
    open_cases = open_cases_for(request.user)
    return render(request, "cases/intake/dashboard.html", {
        "reseller": reseller,
        "open_cases": open_cases[:DASHBOARD_CASES],
        "open_count": open_cases.count(),
        "designated_count": designated_count(reseller),
        "min_contacts": MIN_DESIGNATED_CONTACTS,
    })
