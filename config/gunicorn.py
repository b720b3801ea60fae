"""gunicorn settings for the production image (``gunicorn -c config/gunicorn.py``).

Long work (exports, month close, imports of a day's punches) runs in Celery, so a request that
needs more than ``GUNICORN_TIMEOUT`` seconds is a fault to see, not to wait for; the default
30 s of gunicorn is still too tight for a roster import's confirm on a slow disk."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
max_requests = 2000  # recycle workers now and then (bounded memory over a long day)
max_requests_jitter = 200
accesslog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "*")  # behind the proxy only
