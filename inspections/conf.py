"""Inspection defaults; override any key with ``INSPECTIONS = {...}`` in the Django settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # photos of a finding: images only, validated like assessment evidence (size, signature)
    "PHOTO_TYPES": (".jpg", ".jpeg", ".png"),
    "MAX_PHOTOS": 6,
    # a round may be dated a little ahead of the server's clock (a phone's clock), not more
    "FUTURE_TOLERANCE_MINUTES": 10,
}


def conf(key: str) -> Any:
    return getattr(settings, "INSPECTIONS", {}).get(key, DEFAULTS[key])
