"""The "new request" hub and the Statement of Work page. The hub links each kind of request by its
URL name, so it follows the routes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.access import is_designated_contact
from portal.decorators import reseller_required


@login_required
@reseller_required
@require_GET
def request_hub(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/requests/hub/hub.html", {
        "can_submit": is_designated_contact(request.user),
    })


@login_required
@reseller_required
@require_GET
def sow_change(request: HttpRequest) -> HttpResponse:
    """Statement of Work changes do not go through Customer Care: this page explains, and opens
    nothing."""
    return render(request, "cases/requests/hub/sow_change.html")
