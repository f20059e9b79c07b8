"""django-simple-history for the models that move deadlines or rights.

Its post_save receiver writes one history row per save; that is the library's way and it only
records. A sign-in saves the user's last_login and nothing else: that is in the audit trail already,
so it makes no history row."""

from __future__ import annotations

from typing import Any

from simple_history.models import HistoricalRecords


class RecordedHistory(HistoricalRecords):
    def post_save(self, instance: Any, created: bool, using: str | None = None, **kwargs: Any) -> None:
        if not created and kwargs.get("update_fields") == frozenset({"last_login"}):
            return
        super().post_save(instance, created, using=using, **kwargs)
