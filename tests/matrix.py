"""The role × URL permission matrix, shared by every app.

Each app's ``tests/<app>/test_permissions.py`` defines ``MATRIX``: a list of :class:`Case`. A case
names a URL, how to build its arguments from the fixtures (an object of department A, say), and
the expected status per persona. ``tests/test_url_coverage.py`` fails when a URL of the project
is in no app's matrix, so a new page cannot ship without its permission row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

PERSONAS = ("anonymous", "admin", "liaison_a", "liaison_b", "hr", "staff")
LOGIN = "login"  # expected "status" meaning: redirected to the login page


@dataclass
class Case:
    url_name: str
    expect: dict[str, int | str]
    args: Callable[[dict[str, Any]], list[Any]] = field(default=lambda objects: [])
    method: str = "get"
    data: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    query: str = ""

    def id(self) -> str:
        return f"{self.method.upper()} {self.url_name}{'?' + self.query if self.query else ''}"


def expect(
    anonymous: int | str = LOGIN,
    admin: int = 200,
    liaison_a: int = 200,
    liaison_b: int = 200,
    hr: int = 200,
    staff: int = 200,
) -> dict[str, int | str]:
    return {
        "anonymous": anonymous,
        "admin": admin,
        "liaison_a": liaison_a,
        "liaison_b": liaison_b,
        "hr": hr,
        "staff": staff,
    }


def run_case(case: Case, persona: str, personas: dict[str, Any], objects: dict[str, Any], client):
    url = reverse(case.url_name, args=case.args(objects))
    if case.query:
        url += "?" + case.query
    if case.method == "get":
        response = client.get(url)
    else:
        data = case.data(objects) if case.data else {}
        response = getattr(client, case.method)(url, data=data)
    expected = case.expect[persona]
    if expected == LOGIN:
        assert response.status_code in (302, 401, 403), (case.id(), persona, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], (case.id(), persona)
    else:
        assert response.status_code == expected, (case.id(), persona, response.status_code)
    return response
