"""Sign-in pages that differ from Django's own: password-reset requests are throttled."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from portal.audit.services import password_reset_admit

THROTTLED_MESSAGE = _("Too many password reset requests from here or for this address. Please try again in an hour.")


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """At most PASSWORD_RESET_LIMIT_PER_HOUR requests per IP and per address. The refusal reads the
    same whether or not the address belongs to anyone, as does the "sent" page."""

    html_email_template_name = "registration/password_reset_email_body.html"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if not password_reset_admit(request=self.request, email=form.cleaned_data["email"]):
            form.add_error(None, THROTTLED_MESSAGE)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
