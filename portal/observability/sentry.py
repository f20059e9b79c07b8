"""Sentry, only where SENTRY_DSN is set: no DSN means no SDK, no network, nothing to configure."""

from __future__ import annotations


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float, release: str | None) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration(), CeleryIntegration(monitor_beat_tasks=False)],
        traces_sample_rate=traces_sample_rate,
        # Case texts and contact details are customer data: never send request bodies or users.
        send_default_pii=False,
    )
