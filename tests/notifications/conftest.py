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
    from notifications import tasks

    monkeypatch.setattr(tasks.deliver_pending, "apply_async", lambda *a, **k: calls.append(k))
    return calls
