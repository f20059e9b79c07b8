from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from portal.access import is_care_staff, membership_of


def reseller_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Portal pages are for reseller users; Care staff work in admin, anyone else sees nothing."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_care_staff(request.user):
            return redirect("admin:index")
        if membership_of(request.user) is None:
            from django.http import Http404

            raise Http404("No reseller.")
        return view(request, *args, **kwargs)

    return wrapper
