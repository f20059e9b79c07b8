"""A local SMTP server that records every message it accepts, so duplicates can be counted."""

from __future__ import annotations

import threading
from collections import Counter
from email import message_from_bytes
from typing import Any

from aiosmtpd.controller import Controller


class Recorder:
    """aiosmtpd handler: keeps (Message-ID, recipients, subject) of every message accepted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[tuple[str, tuple[str, ...], str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.messages.append((
                str(message.get("Message-ID", "")).strip(), tuple(envelope.rcpt_tos), str(message.get("Subject", "")),
            ))
        return "250 Message accepted for delivery"

    def message_ids(self) -> Counter[str]:
        with self.lock:
            return Counter(message_id for message_id, _to, _subject in self.messages)


def smtp_start(port: int) -> tuple[Controller, Recorder]:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, recorder
