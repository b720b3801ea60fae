"""Optional error reporting through Sentry's SDK (or a compatible server on the intranet, such as
a self-hosted Sentry or GlitchTip): off unless ``SENTRY_DSN`` is set. Personal data stays home:
no user details, no request bodies, no local variables (a stack frame can hold an ID number)."""

from __future__ import annotations

import os


def init_error_reporting(dsn: str | None = None) -> bool:
    """Start reporting unhandled errors of web requests and Celery tasks to ``dsn`` (default:
    ``SENTRY_DSN``). Returns whether it was started."""
    dsn = dsn if dsn is not None else os.environ.get("SENTRY_DSN", "")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
    return True
