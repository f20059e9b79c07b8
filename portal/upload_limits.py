"""Per-request upload totals, enforced while the body is read, so a form that sends too much comes
back with a message instead of Django's bare "Bad Request (400)".

BoundedUploadHandler stands first in FILE_UPLOAD_HANDLERS. A file past ATTACHMENT_MAX_FILES_PER_REQUEST,
or one that would take the request past ATTACHMENT_MAX_REQUEST_BYTES, is not stored: its bytes are
dropped as they arrive and request.FILES gets a RefusedUpload (empty, with the reason) in its place.
Every other field is still read, so the view can show the form again with all the user typed.

It does not raise SkipFile for this: Django then closes the `file` of every handler, which is the
previous, already accepted upload (django.http.multipartparser._close_files).
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


class RefusedUpload(UploadedFile):
    """A file part that was not stored. Empty, so a plain FileField calls it "empty", never valid."""

    TOO_MANY = "too_many"
    TOO_LARGE = "too_large"

    def __init__(self, name: str, reason: str, content_type: str | None = None) -> None:
        super().__init__(file=BytesIO(), name=name, content_type=content_type, size=0)
        self.refused_because = reason


class BoundedUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.max_files: int = settings.ATTACHMENT_MAX_FILES_PER_REQUEST
        self.max_bytes: int = settings.ATTACHMENT_MAX_REQUEST_BYTES
        self.accepted_files = 0
        self.accepted_bytes = 0
        self.current_bytes = 0
        self.refusal: str | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.current_bytes = 0
        if self.accepted_files >= self.max_files:
            self.refusal = RefusedUpload.TOO_MANY
            raise StopFutureHandlers  # the storing handlers never hear of this file
        self.refusal = None
        self.accepted_files += 1

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.refusal is not None:
            return None  # dropped here: the handlers after this one never see it
        if self.accepted_bytes + self.current_bytes + len(raw_data) > self.max_bytes:
            # Too large only now: the storing handler holds a partial file, which file_complete
            # below keeps out of request.FILES; its temporary file goes when the handler moves on.
            self.refusal = RefusedUpload.TOO_LARGE
            self.accepted_files -= 1
            return None
        self.current_bytes += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.refusal is None:
            self.accepted_bytes += self.current_bytes
            return None  # the next handler returns the stored file
        return RefusedUpload(self.file_name or "", self.refusal, self.content_type)


def refused_uploads(files: list[UploadedFile]) -> tuple[list[UploadedFile], list[RefusedUpload]]:
    """Splits request.FILES.getlist(...) into what was received and what was not."""
    received = [upload for upload in files if not isinstance(upload, RefusedUpload)]
    refused = [upload for upload in files if isinstance(upload, RefusedUpload)]
    return received, refused


class UnreadableUploadMiddleware:
    """Past Django's own limits (DATA_UPLOAD_MAX_NUMBER_FILES, DATA_UPLOAD_MAX_NUMBER_FIELDS,
    DATA_UPLOAD_MAX_MEMORY_SIZE) the body is refused unread. Nothing typed in it can be recovered,
    so the user is sent back to the page they came from with a message that says so, instead of a
    bare 400. BoundedUploadHandler keeps ordinary excess (a few files too many) from getting here.

    It reads the body in process_view, before CsrfViewMiddleware does; no state changes, so the
    redirect needs no CSRF check."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        if request.method != "POST" or not (request.content_type or "").startswith("multipart/"):
            return None
        try:
            request.POST  # noqa: B018 - reading it parses the body, which is what may fail
        except TooManyFilesSent:
            message = _(
                "Your form was not received: it had more than %(limit)s files. At most %(per_request)s "
                "files can be sent at once. Nothing from that attempt was kept; please fill it in again."
            ) % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
                 "per_request": settings.ATTACHMENT_MAX_FILES_PER_REQUEST}
        except (TooManyFieldsSent, RequestDataTooBig):
            message = _(
                "Your form was not received: its text was larger than %(limit)s. Nothing from that "
                "attempt was kept; please fill it in again."
            ) % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
        else:
            return None
        messages.error(request, message)
        return HttpResponseRedirect(_back_to(request))


def _back_to(request: HttpRequest) -> str:
    """The page the form was on (it may post elsewhere, like a case's upload form), else this path."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return request.path
