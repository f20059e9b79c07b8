"""How a portal view shows a service's refusal, and the refusal that means "already done".

A double click sends the same POST twice. The second must not be an error page: the service sees
that what was asked is already done (under its row lock) and raises AlreadyDone; the view says so
and shows the page as it now is, exactly as after the first click.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest


class AlreadyDone(ValidationError):
    """The request repeats one that already took effect (a double click, a resent form);
    `existing` is what the first one made, for the view to show."""

    def __init__(self, message: str, *, existing: object | None = None) -> None:
        super().__init__(message)
        self.existing = existing


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Shows a refusal on the form: on the field it names, else above the form. A refusal without
    fields (ValidationError("...")) has no message_dict; reading it would be an AttributeError."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)


def tell_already_done(request: HttpRequest, error: AlreadyDone) -> None:
    messages.info(request, " ".join(error.messages))
