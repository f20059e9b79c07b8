"""Signing in as a browser does, from a client with its own IP address."""

from __future__ import annotations

from typing import Any

from django.test import Client

LOGIN_URL = "/accounts/login/"
WRONG_PASSWORD = "not-the-password"  # noqa: S105
LOCKED_OUT_TEXT = "too many failed sign-in attempts"


def sign_in(username: str, password: str, *, ip: str = "198.51.100.7", client: Client | None = None) -> Any:
    browser = client or Client(REMOTE_ADDR=ip)
    return browser.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_locked_out(response: Any) -> bool:
    return response.status_code == 429 and LOCKED_OUT_TEXT in response.content.decode().lower()
