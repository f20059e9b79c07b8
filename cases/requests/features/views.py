"""Portal pages for feature requests: the list (own and published, by votes), the form, a request
and the vote. Thin: access comes from portal.access, writes from the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import FeatureRequest
from cases.requests.common import submit_form
from cases.requests.features import services
from cases.requests.features.forms import FeatureRequestForm
from cases.requests.features.models import FeatureVote
from cases.requests.features.selectors import feature_for
from portal.access import (
    acting_user,
    feature_shows_private,
    is_designated_contact,
    require_designated_contact,
)
from portal.decorators import reseller_required


@login_required
@reseller_required
@require_GET
def feature_list(request: HttpRequest) -> HttpResponse:
    items = (FeatureRequest.objects.visible_to(request.user).filter(merged_into__isnull=True)
             .select_related("service").annotate(vote_count=Count("votes"))
             .order_by("-vote_count", "-created_at"))
    rows = [(item, feature_shows_private(request.user, item)) for item in items]
    return render(request, "cases/requests/features/feature_list.html", {"rows": rows})


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def feature_create(request: HttpRequest) -> HttpResponse:
    require_designated_contact(request.user)
    return submit_form(
        request, FeatureRequestForm(request.POST or None), services.feature_submit,
        _("Your feature request was submitted."), "cases/requests/features/feature_form.html",
    )


@login_required
@reseller_required
@require_GET
def feature_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = feature_for(request.user, pk)
    private = feature_shows_private(request.user, item)
    return render(request, "cases/requests/features/feature_detail.html", {
        "item": item, "private": private,
        "events": item.events.select_related("actor") if private else [],
        "vote_count": item.votes.count(),
        "has_voted": FeatureVote.objects.filter(feature=item, voter=acting_user(request)).exists(),
        "can_vote": is_designated_contact(request.user) and item.merged_into_id is None,
    })


@login_required
@reseller_required
@require_POST
def feature_vote(request: HttpRequest, pk: int) -> HttpResponse:
    item = feature_for(request.user, pk)  # not visible: 404 before 403
    require_designated_contact(request.user)
    try:
        services.feature_vote(feature=item, contact=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: your vote was counted."))
    return redirect(item)
