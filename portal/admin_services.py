"""Admin pages whose saves go through services: a refusal is a form error, and nothing is saved.

Django admin saves inside one transaction (changeform_view) and only then says "changed
successfully". A service refusing the change inside save_model would leave two bad choices:
a message next to a success banner, or a 500. Instead, `refuse()` raises ServiceRefused; the
transaction rolls back everything this save did, and the page is rendered once more from the
same POST with the service's errors on the form, so what the user typed stays on screen.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse

REFUSAL_ATTRIBUTE = "_service_refusal"


class ServiceRefused(Exception):
    def __init__(self, error: ValidationError) -> None:
        super().__init__(error)
        self.error = error


def refusal_errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}


class ServiceAdminMixin:
    """Mix into a ModelAdmin whose save_model/save_formset call services; call `refuse(error)`."""

    @staticmethod
    def refuse(error: ValidationError) -> None:
        raise ServiceRefused(error)

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        parent: Any = super()
        try:
            return parent.changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            setattr(request, REFUSAL_ATTRIBUTE, refused.error)
            return parent.changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        parent: Any = super()
        form = parent.get_form(request, obj, change=change, **kwargs)  # UserAdmin takes it by keyword only
        found: ValidationError | None = getattr(request, REFUSAL_ATTRIBUTE, None)
        if found is None:
            return form
        refusal: ValidationError = found

        class RefusedForm(form):  # type: ignore[misc,valid-type]
            def clean(self) -> Any:
                data = super().clean()
                for field, messages in refusal_errors(refusal).items():
                    for message in messages:
                        self.add_error(field if field in self.fields else None, message)
                return data

        RefusedForm.__name__ = form.__name__
        return RefusedForm


