"""Where attachments and staged uploads are kept: a private folder, or an S3-compatible bucket
when ATTACHMENT_STORAGE_URL is set (several web hosts then share the files). Neither has a public
URL; cases.intake.views.attachment_download is the only way a file leaves."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    """Read lazily from settings, so tests and deployments can point it elsewhere before first use."""

    def _setup(self) -> None:
        options = settings.ATTACHMENT_S3_OPTIONS
        if options:
            from storages.backends.s3 import S3Storage

            self._wrapped = S3Storage(**options)
        else:
            self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)

    def reset(self) -> None:
        """Forgets the backend; the next use reads the settings again (tests that switch storage)."""
        self._wrapped = empty


private_storage = PrivateStorage()
