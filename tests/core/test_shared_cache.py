"""Production needs no shared cache (issue #15): nothing correct depends on a cache being shared
between processes, so production starts without CACHE_URL and keeps its state in the
database."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = [
    "core",
    "notifications",
    "staff",
    "windows",
    "assessments",
    "training",
    "promotions",
    "joint",
    "portal",
    "config",
]
CACHE_USE = re.compile(r"django\.core\.cache|cache_page")


def _production(code: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "Zx9!q2Lm#Vb7$Rt4^Yh6&Pn8*Wc3(Ju5)Ge1" + "s" * 10,
    }
    env.pop("CACHE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_starts_without_a_shared_cache_and_keeps_state_in_the_database():
    result = _production(
        "import django; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_ENGINE); print(s.AXES_HANDLER);"
        "print(s.REST_FRAMEWORK.get('DEFAULT_THROTTLE_CLASSES', []));"
        "print(s.CACHES['default']['BACKEND'])"
    )
    assert result.returncode == 0, result.stderr
    engine, axes, throttles, backend = result.stdout.split("\n")[:4]
    assert engine == "django.contrib.sessions.backends.db"
    assert axes == "axes.handlers.database.AxesDatabaseHandler"
    assert throttles == "[]"  # a throttle would count per process without a shared cache
    assert backend.endswith("LocMemCache")


def test_no_module_keeps_anything_in_the_cache():
    """A module reading or writing the cache would need one shared between processes (and the
    production guard above would no longer hold): none does."""
    offenders = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "settings" not in path.parts and CACHE_USE.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders
