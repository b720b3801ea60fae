"""Login throttling (django-axes, locked on username + address): five failures lock that username
from that address, in Chinese; colleagues behind the same office address can still log in."""

import pytest
from django.test import Client
from django.urls import reverse

from .helpers import zh

pytestmark = pytest.mark.django_db

OFFICE = "10.20.30.40"


def attempt(username: str, password: str, address: str = OFFICE):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post(reverse("login"), {"username": username, "password": password})
    return client, response


@pytest.fixture
def accounts(liaison_a, hr_user):
    for user in (liaison_a, hr_user):
        user.set_password("Correct-Horse-42")
        user.save()
    return liaison_a, hr_user


def test_five_failures_lock_that_username_from_that_address(accounts, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    liaison, hr = accounts
    for _ in range(4):
        _, response = attempt(liaison.username, "wrong")
        assert response.status_code == 200  # the form again, with the error
    _, response = attempt(liaison.username, "wrong")  # the fifth failure locks
    assert response.status_code == 429
    page = response.content.decode()
    assert zh("Too many failed logins") in page
    assert '<html lang="zh-hans">' in page

    # Even the right password is refused now, from this address.
    client, response = attempt(liaison.username, "Correct-Horse-42")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    # A colleague behind the same office address still logs in.
    client, response = attempt(hr.username, "Correct-Horse-42")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(hr.pk)

    # The same person from another address is not locked either.
    client, response = attempt(liaison.username, "Correct-Horse-42", address="10.99.0.7")
    assert response.status_code == 302


def test_a_success_resets_the_count(accounts):
    liaison, _ = accounts
    for _ in range(4):
        attempt(liaison.username, "wrong")
    _, response = attempt(liaison.username, "Correct-Horse-42")
    assert response.status_code == 302
    for _ in range(4):
        _, response = attempt(liaison.username, "wrong")
    assert response.status_code == 200  # four after the reset: not locked


def test_the_api_token_endpoint_is_throttled_too(accounts):
    liaison, _ = accounts
    client = Client(REMOTE_ADDR=OFFICE)
    url = reverse("api-token")
    for _ in range(5):
        client.post(url, {"username": liaison.username, "password": "wrong"})
    response = client.post(url, {"username": liaison.username, "password": "Correct-Horse-42"})
    assert response.status_code in (400, 403, 429)  # DRF reports the refused login as 400
    assert "token" not in response.json()
    # The password was right: from another address the same request gets a token.
    other = Client(REMOTE_ADDR="10.99.0.7")
    response = other.post(url, {"username": liaison.username, "password": "Correct-Horse-42"})
    assert response.status_code == 200
    assert "token" in response.json()
