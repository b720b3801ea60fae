import pytest
from django.contrib.contenttypes.models import ContentType


@pytest.fixture(autouse=True)
def _notification_settings(settings):
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "TENURE_MONTHS": 24,
        "TENURE_NOTICE_DAYS": 30,
        "CHIEF_LONG_TENURE_MONTHS": 60,
        "CERTIFICATE_NOTICE_DAYS": [60, 30, 7],
        "CATCH_UP_DAYS": 14,
        "SCORING_DUE_DAY": 5,
        "SITE_URL": "https://zwfw.example.cn",
    }


@pytest.fixture(autouse=True)
def _clear_content_type_cache():
    # Thread and transaction tests recreate content types; stale cached ids would break FKs.
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def no_broker(monkeypatch):
    """Record queued deliveries instead of talking to a broker."""
    calls = []
    from notifications import services

    monkeypatch.setattr(services, "enqueue_delivery", lambda: calls.append(True))
    return calls


def redis_reachable(host: str = "127.0.0.1", port: int = 6379) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def use_broker(monkeypatch):
    """Point the test process's Celery app at ``url`` (restored afterwards).

    Celery reads the CELERY_BROKER_URL environment variable before its configuration (CI sets
    it), so the variable is switched too."""
    from config.celery import app

    def reset():
        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None
        app.amqp._producer_pool = None

    old = app.conf.broker_url, app.conf.broker_transport_options

    def switch(url: str) -> None:
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        app.conf.broker_url = url
        app.conf.broker_transport_options = {"socket_connect_timeout": 5}
        reset()

    yield switch
    app.conf.broker_url, app.conf.broker_transport_options = old
    reset()
