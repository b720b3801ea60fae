"""The attendance settings (``CENTER["ATTENDANCE"]`` in config/settings/base.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def conf(key: str) -> Any:
    return settings.CENTER["ATTENDANCE"][key]
