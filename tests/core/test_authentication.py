"""A wrong or revoked API token is answered 401 with a token challenge, not 403."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_a_wrong_token_gets_401_with_a_challenge():
    response = APIClient().get("/api/v1/staff/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_gets_401(admin_user):
    token = Token.objects.create(user=admin_user)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/staff/").status_code == 200
    token.delete()
    assert client.get("/api/v1/staff/").status_code == 401


def test_no_credentials_at_all_stay_403():
    assert APIClient().get("/api/v1/staff/").status_code == 403
