"""Portal pages for post-mortems and incident reports. Thin: access comes from portal.access,
writes from cases.followups.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.followups import services as postmortems
from cases.followups.forms import IncidentReportRequestForm
from cases.followups.pdf import incident_report_pdf
from cases.followups.selectors import postmortem_for, published_report_for
from cases.models import IncidentReport, PostMortem
from portal.access import acting_user, is_designated_contact, require_designated_contact
from portal.decorators import reseller_required
from portal.service_errors import AlreadyDone, add_service_errors, tell_already_done


@login_required
@reseller_required
@require_GET
def postmortem_list(request: HttpRequest) -> HttpResponse:
    items = (
        PostMortem.objects.visible_to(request.user)
        .select_related("case__account", "incident_report")
        .order_by("-due_at")
    )
    return render(request, "cases/followups/postmortem_list.html", {"post_mortems": items})


def _report_of(post_mortem: PostMortem) -> IncidentReport | None:
    try:
        return post_mortem.incident_report
    except IncidentReport.DoesNotExist:
        return None


def _render_detail(request: HttpRequest, post_mortem: PostMortem, form: IncidentReportRequestForm | None = None,
                   status: int = 200) -> HttpResponse:
    report = _report_of(post_mortem)
    can_request = (is_designated_contact(request.user) and report is None
                   and post_mortem.status == PostMortem.Status.COMPLETED)
    return render(request, "cases/followups/postmortem_detail.html", {
        "post_mortem": post_mortem, "case": post_mortem.case, "report": report,
        "can_request": can_request, "form": form or IncidentReportRequestForm(),
    }, status=status)


@login_required
@reseller_required
@require_GET
def postmortem_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _render_detail(request, postmortem_for(request.user, number))


@login_required
@reseller_required
@require_POST
def incident_report_request(request: HttpRequest, number: str) -> HttpResponse:
    post_mortem = postmortem_for(request.user, number)  # another reseller's: 404 before 403
    require_designated_contact(request.user)
    form = IncidentReportRequestForm(request.POST)
    if form.is_valid():
        try:
            postmortems.incident_report_request(
                post_mortem=post_mortem, contact=acting_user(request),
                coverage_request=form.cleaned_data["coverage_request"],
            )
        except AlreadyDone as repeated:
            tell_already_done(request, repeated)
            return redirect("postmortem_detail", number=number)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your request for an incident report was sent to Customer Care."))
            return redirect("postmortem_detail", number=number)
    return _render_detail(request, post_mortem, form, status=400)


@login_required
@reseller_required
@require_GET
def incident_report_download(request: HttpRequest, number: str) -> HttpResponse:
    report = published_report_for(request.user, number)
    response = HttpResponse(incident_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="incident-report-{number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
