"""Settings for the real Celery worker that ``test_exports_worker.py`` starts: the test settings,
with uploaded files in a folder the test can read (in-memory storage stays inside the worker)."""

import os

from config.settings.test import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ["PROMOTIONS_TEST_MEDIA_DIR"]},
    },
}
