"""The POST an admin change page sends when saved untouched, to edit before posting."""

from __future__ import annotations

from typing import Any

from django import forms
from django.test import Client


def change_form_data(client: Client, url: str) -> dict[str, Any]:
    """Every field of the page's form and inline formsets, as the browser would submit them."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    page_forms: list[forms.BaseForm] = [response.context["adminform"].form]
    data: dict[str, Any] = {"_save": "Save"}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        page_forms.extend(inline.formset.forms)
    for form in page_forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field, forms.BooleanField):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(item) for item in value]
            else:
                data[form.add_prefix(name)] = "" if value is None else str(value)
    return data
