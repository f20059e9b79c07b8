from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.envreaders import env_bool, env_db, env_email, env_int, env_str


def test_bad_boolean_fails_with_the_variable_name(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env_bool("DJANGO_DEBUG", False)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("off", False), ("YES", True), ("", False)])
def test_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", not expected) is expected


def test_bad_integer(monkeypatch):
    monkeypatch.setenv("ATTACHMENT_MAX_BYTES", "ten")
    with pytest.raises(ImproperlyConfigured, match="ATTACHMENT_MAX_BYTES"):
        env_int("ATTACHMENT_MAX_BYTES", 1)


def test_secret_without_default_is_required(monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY must be set"):
        env_str("DJANGO_SECRET_KEY", None)


def test_database_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://portal@db.internal:5432/portal")
    config = env_db("DATABASE_URL", "sqlite:///x")
    expected = ("django.db.backends.postgresql", "db.internal", "portal")
    assert (config["ENGINE"], config["HOST"], config["NAME"]) == expected
    monkeypatch.setenv("DATABASE_URL", "nosuchdb://x/y")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_db("DATABASE_URL", "sqlite:///x")


def test_email_url(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://mailer.internal:2525")
    config = env_email("EMAIL_URL", "consolemail://")
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("mailer.internal", 2525)
    monkeypatch.setenv("EMAIL_URL", "pigeon://coop")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env_email("EMAIL_URL", "consolemail://")


def test_filemail_url_keeps_an_absolute_path(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "filemail:///var/mail/portal")
    assert env_email("EMAIL_URL", "consolemail://")["EMAIL_FILE_PATH"] == "/var/mail/portal"
