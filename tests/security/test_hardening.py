"""The production settings on real responses: HSTS, CSP without inline scripts, secure cookies,
CSRF enforced, HTTPS redirect; and the settings that protect shared counter PCs."""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="zwfw.example.gov.cn")
out = {}
secure = client.get("/accounts/login/", secure=True)
out["status"] = secure.status_code
out["headers"] = dict(secure.headers)
out["cookies"] = {k: {"secure": bool(v["secure"]), "httponly": bool(v["httponly"]),
                      "samesite": v["samesite"]} for k, v in secure.cookies.items()}
plain = client.get("/accounts/login/")
out["plain"] = [plain.status_code, plain.headers.get("Location", "")]
csrf = Client(enforce_csrf_checks=True, HTTP_HOST="zwfw.example.gov.cn")
post = csrf.post("/accounts/login/", {"username": "x", "password": "y"}, secure=True)
out["csrf_post"] = post.status_code
import re
css = re.search(r'href="(/static/css/app\.[0-9a-f]+\.css)"', secure.content.decode())
out["static"] = [css.group(1), client.get(css.group(1), secure=True).status_code] if css else None
out["settings"] = {
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SESSION_EXPIRE_AT_BROWSER_CLOSE": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    "SESSION_COOKIE_AGE": settings.SESSION_COOKIE_AGE,
    "DEBUG": settings.DEBUG,
    "validators": [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS],
    "renderers": settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"],
}
print("PROBE" + json.dumps(out))
"""


def production_env(tmp_path) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "DJANGO_ALLOWED_HOSTS": "zwfw.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path),
        "CACHE_URL": "redis://127.0.0.1:6379/15",
    }


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=production_env(tmp),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collected.returncode == 0, collected.stderr
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=production_env(tmp),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE"))
    return json.loads(line[len("PROBE") :])


def test_check_deploy_with_a_random_60_character_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_security_headers_on_a_real_response(probe):
    assert probe["status"] == 200
    headers = {k.lower(): v for k, v in probe["headers"].items()}
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    policy = dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in headers["content-security-policy"].split(";")
        if part.strip()
    )
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in policy["script-src"]
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_cookies_are_secure_and_http_redirects_to_https(probe):
    csrf = probe["cookies"]["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    assert probe["plain"][0] == 301
    assert probe["plain"][1].startswith("https://zwfw.example.gov.cn/")


def test_static_files_are_hashed_and_served_by_whitenoise(probe):
    assert probe["static"] is not None
    assert probe["static"][1] == 200


def test_csrf_is_enforced(probe):
    assert probe["csrf_post"] == 403


def test_sessions_and_passwords(probe):
    s = probe["settings"]
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert 15 * 60 <= s["SESSION_COOKIE_AGE"] <= 30 * 60
    assert {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    } <= set(s["validators"])
    assert s["renderers"] == ["rest_framework.renderers.JSONRenderer"]  # no browsable API


@pytest.mark.django_db
def test_weak_passwords_are_refused(admin_user):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678901", "password123", "admin", admin_user.username + "2026"):
        with pytest.raises(ValidationError):
            validate_password(weak, user=admin_user)
    validate_password("Kapok-Flower-Panzhihua-7", user=admin_user)


@pytest.mark.django_db
def test_csrf_is_enforced_on_the_session_api(admin_user, dept_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post("/api/v1/staff/", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
