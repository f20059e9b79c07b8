"""A Designated Contact's answer to Care's remote access request, from the case page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.intake.selectors import case_for_update
from cases.requests.remote_access import services
from cases.requests.remote_access.forms import RemoteAccessDecisionForm
from cases.requests.remote_access.models import RemoteAccessRequest
from portal.access import acting_user
from portal.decorators import reseller_required


@login_required
@reseller_required
@require_POST
def case_remote_access(request: HttpRequest, number: str) -> HttpResponse:
    """A Designated Contact answers Care's pending remote access request on this case."""
    case = case_for_update(request.user, number)
    form = RemoteAccessDecisionForm(request.POST)
    pending = case.remote_access_requests.filter(status=RemoteAccessRequest.Status.PENDING).first()
    if not form.is_valid() or pending is None:
        messages.error(request, _("There is no remote access request to answer on this case."))
        return redirect("case_detail", number=case.number)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.remote_access_request_decide(
            access_request=pending, contact=acting_user(request), approve=approve
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Remote access approved for this case.") if approve
                         else _("Remote access refused for this case."))
    return redirect("case_detail", number=case.number)
