"""The database connection dropped mid-request (a failover, a restart, a network cut): the user
gets 503 "nothing was saved, try again", never a 500; what was being written is not half there;
the next request works. Real PostgreSQL: the request's own server process is terminated from a
second connection at the moment chosen."""

from contextlib import contextmanager

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from staff.models import Staff
from tests.conftest import client_for
from tests.factories import StaffFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def _terminate(pid: int) -> None:
    params = connection.get_connection_params()
    keep = {k: params[k] for k in ("dbname", "user", "host", "port", "password") if params.get(k)}
    other = psycopg2.connect(**keep)
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()


@contextmanager
def drop_connection_after(*fragments: str):
    """Terminate the request's database connection right after the first statement containing
    every one of ``fragments`` ran (its effect not committed)."""
    state = {"done": False}

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not state["done"] and all(fragment in sql for fragment in fragments):
            state["done"] = True
            _terminate(context["connection"].connection.info.backend_pid)
        return result

    with connection.execute_wrapper(wrapper):
        yield state


def fresh_value(pk: int, field: str):
    """Read straight from the database, past this process's connection."""
    params = connection.get_connection_params()
    keep = {k: params[k] for k in ("dbname", "user", "host", "port", "password") if params.get(k)}
    other = psycopg2.connect(**keep)
    with other.cursor() as cursor:
        cursor.execute(f"SELECT {field} FROM staff_staff WHERE id = %s", [pk])  # noqa: S608
        value = cursor.fetchone()[0]
    other.close()
    return value


def test_a_page_whose_database_goes_away_answers_503_and_the_next_works(admin_user, dept_a):
    StaffFactory.create_batch(3, department=dept_a)
    client = client_for(admin_user)
    url = reverse("staff:list")
    with drop_connection_after("COUNT(", 'FROM "staff_staff"') as dropped:  # the paginator's
        response = client.get(url)
    assert dropped["done"]
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "未保存" in response.content.decode()
    assert client.get(url).status_code == 200  # a fresh connection


def test_an_edit_cut_off_before_commit_saves_nothing_and_says_so(admin_user, dept_a):
    person = StaffFactory(department=dept_a, mobile="13800000000")
    client = client_for(admin_user)
    url = reverse("staff:update", args=[person.pk])
    form = client.get(url).context["form"]
    data = {field.html_name: field.value() for field in form if field.value() is not None}
    data.update(mobile="13911112222", reason="电话变更")
    with drop_connection_after('UPDATE "staff_staff"') as dropped:
        response = client.post(url, data)
    assert dropped["done"], "the edit never reached the UPDATE"
    assert response.status_code == 503
    assert fresh_value(person.pk, "mobile") == "13800000000"  # rolled back with the connection
    assert Staff.objects.get(pk=person.pk).mobile == "13800000000"


def test_the_api_answers_503_in_json(admin_user, dept_a):
    StaffFactory(department=dept_a)
    client = client_for(admin_user)
    with drop_connection_after("COUNT(", 'FROM "staff_staff"'):
        response = client.get("/api/v1/staff/")
    assert response.status_code == 503
    assert "未保存" in response.json()["detail"]


def test_an_idle_connection_that_died_is_checked_before_reuse(settings):
    """Between requests Django replaces a persistent connection that died while idle (gunicorn's
    workers keep theirs ``DATABASE_CONN_MAX_AGE`` seconds); what dies mid-request is above."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_a_database_lost_outside_the_view_is_a_503_too(admin_user):
    """The session is saved after the view, by a middleware: the login that loses its
    connection right after writing the session row answers 503, and nobody is logged in."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    with drop_connection_after('"django_session"') as dropped:
        response = client.post(
            reverse("login"), {"username": admin_user.username, "password": "pw-for-tests-123"}
        )
    assert dropped["done"]
    assert response.status_code == 503
    assert client.get(reverse("portal:dashboard")).status_code == 302  # not logged in


def test_an_ordinary_error_stays_a_500(admin_user, monkeypatch):
    from django.test import Client

    from staff import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug, not the database")

    monkeypatch.setattr(views.selectors, "staff_list_for_user", broken)
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    response = client.get(reverse("staff:list"))
    assert response.status_code == 500
