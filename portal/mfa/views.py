from __future__ import annotations

from urllib.parse import urlencode

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.models import Device

from portal.access import acting_user, is_care_staff
from portal.mfa import services
from portal.mfa.forms import CodeForm, VerifyForm
from portal.mfa.qr import qr_svg, secret_for_typing
from portal.mfa.selectors import has_authenticator, mfa_enrolled, passkey_count, recovery_codes_left, session_verified
from portal.mfa.sessions import staff_session_begin

LOW_RECOVERY_CODES = 3


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if mfa_enrolled(user):
        return redirect(next_url(request))
    device = services.mfa_enrol_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.mfa_enrol_confirm(user=user, device=device, token=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            mark_verified(request, device)
            # Rendered, not redirected: the codes are never stored anywhere their holder is not.
            return render(request, "portal/mfa/recovery_codes.html", {"codes": codes, "next": next_url(request)})
    return render(request, "portal/mfa/enrol.html", {
        "form": form, "next": next_url(request),
        # The SVG is qrcode's own markup of the otpauth URI: no user-supplied text in it.
        "qr_svg": mark_safe(qr_svg(device.config_url)),  # noqa: S308
        "secret": secret_for_typing(device.bin_key),
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if session_verified(request):
        return redirect(next_url(request))
    if not mfa_enrolled(user):
        return redirect(reverse("mfa_enrol") + "?" + urlencode({"next": next_url(request)}))
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.mfa_verify(user=user, token=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            mark_verified(request, device)
            left = recovery_codes_left(user)
            if left <= LOW_RECOVERY_CODES:
                messages.warning(request, _(
                    "%(count)s recovery codes left. Ask Customer Care to reset your two-step verification "
                    "if you lose your authenticator."
                ) % {"count": left})
            return redirect(next_url(request))
    return render(request, "portal/mfa/verify.html", {
        "form": form, "next": next_url(request), "has_passkey": passkey_count(user) > 0,
    })


@never_cache
@login_required
@require_http_methods(["GET"])
def mfa_passkeys(request: HttpRequest) -> HttpResponse:
    """Adding a passkey (the ceremony itself is django-otp-webauthn's JSON views and script)."""
    user = acting_user(request)
    return render(request, "portal/mfa/passkeys.html", {
        "passkeys": passkey_count(user), "may_add": has_authenticator(user), "next": next_url(request),
    })


@login_required
@require_POST
def mfa_disable(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    services.mfa_reset(actor=user, user=user)
    messages.success(request, _("Two-step verification is off."))
    return redirect("profile")


def mark_verified(request: HttpRequest, device: Device) -> None:
    """This session passed the MFA step; a new session id, so one captured before it is useless."""
    django_otp.login(request, device)
    request.session.cycle_key()
    if request.user.is_staff:
        staff_session_begin(request.session, now=timezone.now().timestamp())


def next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("admin:index") if is_care_staff(request.user) else reverse("dashboard")
