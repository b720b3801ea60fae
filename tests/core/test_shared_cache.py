"""What production keeps where (issue #15): figures are rows, sessions and login lockouts live
in the database, and the one thing in the cache — request counters: the API's rate limits and the
password-reset limit — needs a cache shared by every process, so production refuses to start
without CACHE_URL."""

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


def _production(code: str, **extra: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "Zx9!q2Lm#Vb7$Rt4^Yh6&Pn8*Wc3(Ju5)Ge1" + "s" * 10,
    }
    env.pop("CACHE_URL", None)
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


SETUP = (
    "import django; django.setup();"
    "from django.conf import settings as s;"
    "print(s.SESSION_ENGINE); print(s.AXES_HANDLER);"
    "print(len(s.REST_FRAMEWORK['DEFAULT_THROTTLE_CLASSES']));"
    "print(s.CACHES['default']['BACKEND'])"
)


def test_production_refuses_to_start_without_a_shared_cache():
    result = _production(SETUP)
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


def test_production_keeps_state_in_the_database_and_limits_in_redis():
    result = _production(SETUP, CACHE_URL="redis://127.0.0.1:6379/15")
    assert result.returncode == 0, result.stderr
    engine, axes, throttles, backend = result.stdout.split("\n")[:4]
    assert engine == "django.contrib.sessions.backends.db"
    assert axes == "axes.handlers.database.AxesDatabaseHandler"
    assert int(throttles) == 2  # per address and per user
    assert backend.endswith("RedisCache")


# Request counters, like DRF's throttles: the password-reset form's limit (issue #16). A count of
# requests in a window is not a figure of the data, so it cannot go stale after a write.
REQUEST_COUNTERS = {"core/ratelimit.py"}


def test_no_module_keeps_anything_in_the_cache():
    """Nothing of ours reads or writes the cache but request counters (DRF's throttles and
    ``core.ratelimit``): a figure kept there would be stale after a write, or differ between
    processes."""
    offenders = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "settings" not in path.parts
        and str(path.relative_to(ROOT)) not in REQUEST_COUNTERS
        and CACHE_USE.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders
