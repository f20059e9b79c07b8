from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone, translation

from portal.access import may_enter_admin


class ViewerTimezoneMiddleware:
    """Shows every date in the signed-in user's own time zone; storage stays UTC."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = getattr(user, "time_zone", None) if user is not None and user.is_authenticated else None
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone)) if zone else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            # The zone is thread-local: left active, it would leak into whatever this thread runs
            # next (the next request, a test, an email rendered for someone else).
            timezone.deactivate()


class ViewerLanguageMiddleware:
    """Pages in the signed-in user's chosen language (User.language), as their email already is;
    LocaleMiddleware's choice from the browser stays for everyone else and for a blank choice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if not chosen or not translation.check_for_language(chosen):
            return self.get_response(request)
        previous = translation.get_language()
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            # Back to the browser's language, which LocaleMiddleware deactivates after the response.
            translation.activate(previous) if previous else translation.deactivate()
        response.headers["Content-Language"] = chosen
        return response


class ResellerUsersStayOutOfAdminMiddleware:
    """Admin is for vendor staff; a reseller user who reaches it gets a 404, not a login form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/admin/") and request.user.is_authenticated:
            if not may_enter_admin(request.user):
                raise Http404("Not found.")
        return self.get_response(request)


class RejectNulBytesMiddleware:
    """A NUL byte is never valid in a path or query: answer 400 before it reaches a lookup.

    PostgreSQL refuses NUL in text, so such a value would otherwise surface as a 500 from whichever
    query met it first (a case number, a feed token, an admin list filter). Form fields already
    refuse NUL with a form error (Django's ProhibitNullCharactersValidator)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in query.getlist(key)) for key in query
        ):
            return HttpResponseBadRequest("Bad request: the address contains a NUL character.")
        return self.get_response(request)
