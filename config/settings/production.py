"""Production: everything secure by default; `manage.py check --deploy` prints no warning."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

if not SECRET_KEY or len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to at least 50 random characters.")

DEBUG = False
DEMO_SEED_ALLOWED = False  # its accounts share a published password
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
REST_FRAMEWORK = {  # no browsable API in production
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
# Figures are rows the services keep (or the dashboard's snapshot row); sessions and
# django-axes' lockouts live in the database (pinned here, so that a change of default cannot
# move them into a per-process cache unnoticed: tests/core/test_shared_cache.py). The one thing
# kept in the cache is the API's rate limits, and a cache of each process's own would let every
# gunicorn worker grant the whole rate again: production needs CACHE_URL (Redis).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):  # noqa: F405
    raise ImproperlyConfigured(
        "CACHE_URL must name a Redis cache shared by every process (the API's rate limits)."
    )
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# The API's schema and docs list every endpoint and field: for signed-in users only.
SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,  # noqa: F405
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# Unhandled errors to the center's error tracker, when SENTRY_DSN names one (config/errors.py).
from config.errors import init_error_reporting  # noqa: E402

init_error_reporting()
