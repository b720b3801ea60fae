"""The production shape: settings pass Django's deploy checks; docker-compose is complete."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_prints_no_warning():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "Zx9!q2Lm#Vb7$Rt4^Yh6&Pn8*Wc3(Ju5)Ge1" + "s" * 10,
        "DJANGO_ALLOWED_HOSTS": "zwfw.example.gov.cn",
        "CACHE_URL": "redis://127.0.0.1:6379/15",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_compose_has_the_production_shape():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in services["web"]["command"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    env_example = (ROOT / ".env.example").read_text()
    assert "DJANGO_SECRET_KEY=" in env_example
    assert (ROOT / "Dockerfile").exists()


def test_compose_serves_the_site_over_tls_behind_a_proxy():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    proxy = services["proxy"]
    assert any(str(port).endswith(":443") for port in proxy["ports"])
    assert "ports" not in services["web"], "the web container is reached through the proxy only"
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "listen 443 ssl" in conf and "X-Forwarded-Proto https" in conf
    assert "location /media/ { return 404; }" in conf  # personal files only through Django's views
    for name, service in services.items():
        if name != "migrate":  # a one-shot job
            assert "healthcheck" in service, name
    assert services["web"]["command"][-2:] == ["-c", "config/gunicorn.py"]


def test_gunicorn_outlasts_its_thirty_second_default():
    namespace: dict = {}
    exec((ROOT / "config" / "gunicorn.py").read_text(), namespace)  # noqa: S102 -- our own file
    assert namespace["timeout"] > 30


def test_the_image_holds_nothing_secret_or_local():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for path in (".env", ".venv", "var", ".git"):
        assert path in ignored, path
    dockerfile = (ROOT / "Dockerfile").read_text()
    for arg in ("PIP_INDEX_URL", "DEBIAN_MIRROR", "PYTHON_IMAGE"):
        assert f"ARG {arg}" in dockerfile, arg


def test_api_schema_and_docs_need_a_login_in_production():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "Zx9!q2Lm#Vb7$Rt4^Yh6&Pn8*Wc3(Ju5)Ge1" + "s" * 10,
        "DJANGO_ALLOWED_HOSTS": "zwfw.example.gov.cn",
        "CACHE_URL": "redis://127.0.0.1:6379/15",
    }
    code = (  # no collectstatic here: plain static storage for the error page's assets
        "from django.test import Client, override_settings;"
        "from django.conf import settings;"
        "s = {**settings.STORAGES, 'staticfiles': {'BACKEND':"
        " 'django.contrib.staticfiles.storage.StaticFilesStorage'}};"
        "o = override_settings(STORAGES=s); o.enable();"
        "c = Client(HTTP_HOST='zwfw.example.gov.cn');"
        "print(c.get('/api/schema/', secure=True).status_code,"
        " c.get('/api/docs/', secure=True).status_code)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    schema, docs = result.stdout.split()[-2:]
    assert schema in ("401", "403") and docs in ("401", "403"), result.stdout


def test_the_lock_file_pins_every_declared_dependency():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared += extra
    locked = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            locked[name.lower().replace("_", "-")] = version
    for requirement in declared:
        name, version = requirement.split("==")
        name = name.split("[")[0].lower().replace("_", "-")
        assert locked.get(name) == version, (name, version, locked.get(name))
