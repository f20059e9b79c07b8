from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.access import acting_user, is_designated_contact, mfa_required, reseller_of
from portal.decorators import reseller_required
from portal.mfa.selectors import mfa_enrolled, recovery_codes_left
from portal.models import MIN_DESIGNATED_CONTACTS, Membership
from portal.tenancy import services
from portal.tenancy.forms import NominationForm, ProfileForm
from portal.tenancy.selectors import designated_count


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def contacts(request: HttpRequest) -> HttpResponse:
    members = Membership.objects.visible_to(request.user).select_related("user").order_by("user__last_name")
    candidates = members.filter(
        designation__in=[Membership.Designation.NONE, Membership.Designation.REVOKED], user__is_active=True
    )
    can_nominate = is_designated_contact(request.user)
    form = NominationForm(request.POST or None, candidates=candidates)
    if request.method == "POST":
        if not can_nominate:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                services.contact_nominate(
                    nominator=acting_user(request), membership=form.cleaned_data["colleague"],
                    phone_24x7=form.cleaned_data["phone_24x7"], note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Nomination sent. Customer Care will review it."))
                return redirect("contacts")
    reseller = reseller_of(request.user)
    return render(request, "portal/tenancy/contacts.html", {
        "members": members, "form": form, "can_nominate": can_nominate and candidates.exists(),
        "designated_count": designated_count(reseller), "min_contacts": MIN_DESIGNATED_CONTACTS,
    })


@login_required
@reseller_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    user = acting_user(request)
    mfa = {"enrolled": mfa_enrolled(user), "required": mfa_required(user), "codes_left": recovery_codes_left(user)}
    return render(request, "portal/tenancy/profile.html", {"form": form, "mfa": mfa})
