"""What the request kinds share: the abstract history and request models, who may act, the
history row for a status change, how a request email is queued, and how a request page's form hands
its data to a service.

Nothing here knows a particular kind; the kinds import this module and never each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from portal.access import require_designated_contact
from portal.models import CloudService, EndUserAccount, Membership, Reseller, User
from portal.notify.services import notification_queue
from portal.tenancy.querysets import tenant_queryset

# --- abstract models (MAC/D, feature and uptime credit requests) ----------------------------------


class RequestEventKind(models.TextChoices):
    SUBMITTED = "submitted", _lazy("Submitted")
    STATUS = "status", _lazy("Status changed")
    COMMENT = "comment", _lazy("Comment")
    SENT_TO_CSM = "sent_to_csm", _lazy("Sent to the CSM")
    PUBLISHED = "published", _lazy("Published")
    UNPUBLISHED = "unpublished", _lazy("Unpublished")
    MERGED = "merged", _lazy("Merged")
    VOTED = "voted", _lazy("Voted")
    UPTIME = "uptime", _lazy("Uptime measured")


class RequestEventFields(models.Model):
    """One row of a request's history (status changes and comments), like a case's events."""

    kind = models.CharField(_lazy("kind"), max_length=20, choices=RequestEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_lazy("by"),
    )
    old_value = models.CharField(_lazy("from"), max_length=200, blank=True)
    new_value = models.CharField(_lazy("to"), max_length=200, blank=True)
    body = models.TextField(_lazy("comment"), blank=True)
    created_at = models.DateTimeField(_lazy("when"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class RequestBase(models.Model):
    reseller = models.ForeignKey(
        Reseller, on_delete=models.PROTECT, related_name="+", verbose_name=_lazy("reseller")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_lazy("requested by"),
    )
    created_at = models.DateTimeField(_lazy("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_lazy("updated"), auto_now=True)

    objects = tenant_queryset("reseller").as_manager()

    class Meta:
        abstract = True


# --- who may act ----------------------------------------------------------------------------------


def require_contact_for_account(
    contact: User, account: EndUserAccount, service: CloudService
) -> Membership:
    """The contact must be a Designated Contact of the account's reseller; the service one of the
    account's."""
    membership = require_designated_contact(contact)
    if account.reseller_id != membership.reseller_id:
        raise PermissionDenied("Another reseller's account.")
    if not account.services.filter(pk=service.pk).exists():
        raise ValidationError(
            {"service": _("This service is not one of the account's cloud services.")}
        )
    return membership


def own_account_errors(reseller_id: int, details: Mapping[str, Any]) -> dict[str, list[str]]:
    """The form errors when details["account"] is not one of the reseller's end-user accounts."""
    errors: dict[str, list[str]] = {}
    account = details.get("account")
    if account is None or account.reseller_id != reseller_id:
        errors["account"] = [_("Choose one of your reseller's end-user accounts.")]
    return errors


# --- history --------------------------------------------------------------------------------------


EventT = TypeVar("EventT", bound=models.Model)


def record_status_change(
    request: models.Model, event_model: type[EventT], *, actor: User, status: str,
    comment: str, status_choices: type[models.TextChoices],
) -> EventT | None:
    """Sets the status and writes one history row (status change and/or comment); None if nothing
    changed."""
    old = request.status  # type: ignore[attr-defined]
    comment = comment.strip()
    if status not in status_choices.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if status == old and not comment:
        return None
    event = event_model(request=request, actor=actor, body=comment)
    if status != old:
        event.kind = "status"  # type: ignore[attr-defined]
        event.old_value = str(status_choices(old).label)  # type: ignore[attr-defined]
        event.new_value = str(status_choices(status).label)  # type: ignore[attr-defined]
        request.status = status  # type: ignore[attr-defined]
        request.save(update_fields=["status", "updated_at"])
    else:
        event.kind = "comment"  # type: ignore[attr-defined]
        request.save(update_fields=["updated_at"])
    event.save()
    return event


# --- notifications --------------------------------------------------------------------------------


def request_notify(
    *, kind: str, template: str, request: models.Model, recipients: Iterable[User | str],
    event: models.Model | None = None, **context: Any,
) -> None:
    """Queues a request email through the outbox, one row per recipient, in the caller's
    transaction: rolled back, nothing is sent. The request and its history row are rendered now,
    for each reader, so they go in as instances; the rows say which request they are about."""
    notification_queue(
        kind=kind, template=template, recipients=recipients,
        context={"request": request, "event": event, **context}, about=request,
    )


# --- request pages --------------------------------------------------------------------------------


class AccountServiceForm(forms.Form):
    """A request about one of the contact's end-user accounts and one cloud service."""

    account = forms.ModelChoiceField(
        label=_lazy("End-user account"), queryset=EndUserAccount.objects.none()
    )
    service = forms.ModelChoiceField(
        label=_lazy("Cloud service"), queryset=CloudService.objects.filter(is_active=True)
    )

    def __init__(self, *args: Any, accounts: QuerySet[EndUserAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Shows a service's refusal on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def submit_form(
    request: HttpRequest, form: forms.Form, submit: Callable[..., Any], success: str, template: str
) -> HttpResponse:
    """Form, service, message, redirect: a refused submission re-shows everything typed (400)."""
    if request.method == "POST" and form.is_valid():
        try:
            item = submit(contact=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(item)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form}, status=status)
