"""Admin forms whose save goes through a service: the service's own validation runs in clean()."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class ServiceValidatedForm(forms.ModelForm):
    """Runs `service_validate` (which calls the validate function the service itself calls) once
    the fields are clean. A refusal becomes form errors, so the page re-renders with the input and
    nothing is saved; the model's own full_clean is then skipped, so no message shows twice."""

    _refused = False

    def service_validate(self, cleaned: dict[str, Any]) -> None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        super().clean()
        if not self.errors:
            try:
                self.service_validate(self.cleaned_data)
            except ValidationError as error:
                self._refused = True
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        self.add_error(field if field in self.fields else None, errors)
                else:
                    self.add_error(None, error)
        return self.cleaned_data

    def _post_clean(self) -> None:
        if not self._refused:
            super()._post_clean()  # type: ignore[misc]  # BaseModelForm's, missing from the stubs
