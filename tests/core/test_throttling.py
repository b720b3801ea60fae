"""The API answers 429 past its rate, per user."""

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

pytestmark = pytest.mark.django_db


def test_a_user_past_the_rate_gets_429(admin_user, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": None})
    client = APIClient()
    client.force_authenticate(admin_user)
    statuses = [client.get("/api/v1/departments/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    cache.clear()
