"""Settings for the real Celery worker that ``test_worker.py`` starts: the test settings, with
e-mail written to files the test can read (locmem would stay inside the worker process)."""

import os

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["NOTIFICATIONS_TEST_MAIL_DIR"]
