"""Logins in bulk (issue #16): creation with random or typed initial passwords, the first-login
change, disable / re-enable, the center's password reset, the command."""

import io
import os

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from staff import accounts
from staff.models import Role, Staff, StaffStatus, User
from tests.queries import assert_constant_queries

from ..factories import StaffFactory, UserFactory


def _sheet_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


def login(client: Client, username: str, password: str) -> bool:
    """Through the login form (django-axes needs the request)."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


@pytest.fixture
def roster(dept_a, dept_b):
    people = [StaffFactory(department=dept_a, staff_number=f"A{n:04d}") for n in range(3)]
    people.append(StaffFactory(department=dept_b, staff_number="B0001"))
    StaffFactory(department=dept_a, staff_number="A9999", status=StaffStatus.LEFT)
    return people


def test_bulk_creation_gives_each_person_a_random_password_to_change(admin_user, roster, dept_a):
    result = accounts.accounts_create(
        actor=admin_user, people=Staff.objects.filter(department=dept_a)
    )
    assert [a.username for a in result.created] == ["a0000", "a0001", "a0002"]  # left: none
    passwords = {a.password for a in result.created}
    assert len(passwords) == 3 and all(len(p) == accounts.PASSWORD_LENGTH for p in passwords)
    for issued in result.created:
        user = User.objects.get(username=issued.username)
        assert user.role == Role.STAFF and user.must_change_password and user.is_active
        assert user.password.startswith("pbkdf2_sha256_temporary$")
        assert user.check_password(issued.password)  # (upgrades the hash, unaudited)
        assert user.staff_profile.staff_number == issued.staff_number
        created = LogEntry.objects.get_for_object(user).get()
        assert created.actor == admin_user and created.changes_dict["password"][1] == "******"
        linked = LogEntry.objects.get_for_object(user.staff_profile).latest("timestamp")
        assert linked.actor == admin_user and "user" in linked.changes_dict
    assert not Staff.objects.get(staff_number="A9999").user_id
    assert not Staff.objects.get(staff_number="B0001").user_id

    again = accounts.accounts_create(actor=admin_user, people=Staff.objects.all())
    assert [a.username for a in again.created] == ["b0001"], "existing accounts are kept"


def test_a_taken_username_is_skipped_and_said(admin_user, roster, dept_a):
    UserFactory(username="A0001", role=Role.LIAISON)  # the same name, other case
    result = accounts.accounts_create(
        actor=admin_user, people=Staff.objects.filter(department=dept_a)
    )
    assert [a.username for a in result.created] == ["a0000", "a0002"]
    assert [s[0] for s in result.skipped] == ["A0001"]
    assert not Staff.objects.get(staff_number="A0001").user_id


def test_a_typed_initial_password_is_validated_and_shared(admin_user, roster, dept_a):
    people = Staff.objects.filter(department=dept_a)
    with pytest.raises(ValidationError):
        accounts.accounts_create(actor=admin_user, people=people, initial_password="12345678")
    assert not User.objects.filter(role=Role.STAFF).exists()
    result = accounts.accounts_create(
        actor=admin_user, people=people, initial_password="Chuzhi@2026go"
    )
    assert all(a.password == "" for a in result.created)
    user = User.objects.get(username="a0001")
    assert user.check_password("Chuzhi@2026go") and user.must_change_password


def test_only_the_center_manages_accounts(liaison_a, hr_user, roster):
    for actor in (liaison_a, hr_user):
        with pytest.raises(PermissionDenied):
            accounts.accounts_create(actor=actor, people=Staff.objects.all())
    assert not User.objects.filter(role=Role.STAFF).exists()


def test_the_page_hands_out_the_passwords_once_as_a_spreadsheet(admin_user, roster, dept_a):
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        reverse("staff:accounts"),
        {"action": "create", "mode": "random", "department": dept_a.pk},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    header, *rows = _sheet_rows(response.content)
    assert header == ("工号", "姓名", "派驻单位", "用户名", "初始密码")
    assert [r[3] for r in rows] == ["a0000", "a0001", "a0002"]
    first = rows[0]
    assert User.objects.get(username=first[3]).check_password(first[4])
    assert User.objects.filter(role=Role.STAFF).count() == 3


def test_the_page_refuses_a_weak_typed_password_in_chinese(admin_user, roster, dept_a):
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        reverse("staff:accounts"),
        {
            "action": "create",
            "mode": "typed",
            "password1": "1234",
            "password2": "1234",
            "department": dept_a.pk,
        },
    )
    assert response.status_code == 400
    assert "密码" in response.content.decode()
    assert not User.objects.filter(role=Role.STAFF).exists()


def test_the_page_lists_people_in_constant_queries(admin_user, dept_a):
    client = Client()
    client.force_login(admin_user)
    for _n in range(3):
        StaffFactory(department=dept_a)

    def grow():
        for _n in range(3):
            person = StaffFactory(department=dept_a)
            person.user = UserFactory()
            person.save()

    assert_constant_queries(lambda: client.get(reverse("staff:accounts")), grow, at_most=12)


def test_first_login_reaches_only_the_password_change(admin_user, roster, dept_a):
    result = accounts.accounts_create(
        actor=admin_user, people=Staff.objects.filter(staff_number="A0001")
    )
    issued = result.created[0]
    client = Client()
    assert login(client, issued.username, issued.password)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    assert client.get(reverse("staff:detail", args=[roster[1].pk])).status_code == 302
    api = client.get("/api/v1/staff/")
    assert api.status_code == 403 and "密码" in api.json()["detail"]
    fragment = client.get(reverse("notifications:list"), HTTP_HX_REQUEST="true")
    assert fragment["HX-Redirect"] == reverse("password_change")
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and 'data-testid="first-login"' in page.content.decode()
    token = Client().post(
        reverse("api-token"), {"username": issued.username, "password": issued.password}
    )
    assert token.status_code == 403 and not Token.objects.exists()

    changed = client.post(
        reverse("password_change"),
        {
            "old_password": issued.password,
            "new_password1": "Wodemima#2026",
            "new_password2": "Wodemima#2026",
        },
    )
    assert changed.status_code == 302
    user = User.objects.get(username=issued.username)
    assert not user.must_change_password
    assert user.password.startswith("md5$"), "the holder's own password: the default hasher"
    assert client.get(reverse("home")).status_code == 302  # home sends staff to their page
    assert client.get(reverse("staff:detail", args=[roster[1].pk])).status_code == 200
    entry = LogEntry.objects.get_for_object(user).latest("timestamp")
    assert entry.actor == user and "must_change_password" in entry.changes_dict
    assert entry.additional_data["reason"] == "密码由本人修改"


def test_disable_and_reenable_in_bulk(admin_user, roster, dept_a):
    accounts.accounts_create(actor=admin_user, people=Staff.objects.all())
    users = User.objects.filter(staff_profile__department=dept_a)
    with pytest.raises(ValidationError):
        accounts.accounts_set_active(actor=admin_user, users=users, active=False, reason=" ")
    changed = accounts.accounts_set_active(
        actor=admin_user,
        users=users | User.objects.filter(pk=admin_user.pk),
        active=False,
        reason="派驻结束",
    )
    assert changed == 3, "never the actor's own login"
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert not User.objects.filter(staff_profile__department=dept_a, is_active=True).exists()
    entry = LogEntry.objects.get_for_object(users.first()).latest("timestamp")
    assert entry.actor == admin_user and entry.additional_data["reason"] == "派驻结束"
    assert entry.changes_dict["is_active"] == ["True", "False"]
    assert (
        accounts.accounts_set_active(actor=admin_user, users=users, active=True, reason="重新派驻")
        == 3
    )


def test_a_disabled_login_loses_its_session_and_its_token(admin_user, staff_user):
    token = Token.objects.create(user=staff_user)
    client = Client()
    client.force_login(staff_user)
    accounts.accounts_set_active(
        actor=admin_user, users=User.objects.filter(pk=staff_user.pk), active=False, reason="离岗"
    )
    assert client.get(reverse("notifications:list")).status_code == 302
    api = Client().get("/api/v1/notifications/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.status_code == 401


def test_the_page_disables_the_people_no_longer_stationed(admin_user, roster, dept_a):
    from windows.models import Stationing

    from ..windows.factories import StationingFactory, WindowFactory

    accounts.accounts_create(actor=admin_user, people=Staff.objects.all())
    window = WindowFactory(department=dept_a, code="A-01")
    StationingFactory(staff=roster[0], window=window, start_date="2025-01-01")
    assert Stationing.objects.count() == 1
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("staff:accounts"), {"stationed": "no", "account": "active"})
    assert page.context["counts"]["active"] == 3
    response = client.post(
        reverse("staff:accounts"),
        {"stationed": "no", "account": "active", "action": "disable", "reason": "派驻结束"},
    )
    assert response.status_code == 302
    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == {
        "a0001",
        "a0002",
        "b0001",
    }
    at_window = client.get(reverse("staff:accounts"), {"window": "a-01"})
    assert [p.staff_number for p in at_window.context["people"]] == ["A0000"]


def test_the_center_resets_a_persons_password(admin_user, staff_user):
    token = Token.objects.create(user=staff_user)
    theirs = Client()
    theirs.force_login(staff_user)
    client = Client()
    client.force_login(admin_user)
    response = client.post(reverse("staff:account_password_reset", args=[staff_user.pk]))
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    password = response.context["password"]
    staff_user.refresh_from_db()
    assert staff_user.must_change_password and staff_user.check_password(password)
    assert not Token.objects.filter(pk=token.pk).exists(), "the token died with the password"
    assert theirs.get(reverse("notifications:list")).status_code == 302, "their session ended"
    assert client.get(reverse("staff:accounts")).status_code == 200, "the center's did not"
    entry = LogEntry.objects.get_for_object(staff_user).latest("timestamp")
    assert entry.actor == admin_user and entry.changes_dict["password"] == ["******", "******"]


def test_reset_refuses_oneself_and_a_superuser_for_a_non_superuser(admin_user):
    with pytest.raises(ValidationError):
        accounts.account_password_reset(actor=admin_user, user=admin_user)
    root = UserFactory(username="root", is_superuser=True)
    with pytest.raises(PermissionDenied):
        accounts.account_password_reset(actor=admin_user, user=root)


def test_the_staff_page_shows_the_account_panel_to_the_center(admin_user, liaison_a, staff_user):
    person = staff_user.staff_profile
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("staff:detail", args=[person.pk])).content.decode()
    assert (
        'data-panel="account"' in page
        and reverse("staff:account_password_reset", args=[staff_user.pk]) in page
    )
    client.force_login(liaison_a)
    assert (
        'data-panel="account"'
        not in client.get(reverse("staff:detail", args=[person.pk])).content.decode()
    )


def test_one_login_disabled_from_its_page(admin_user, staff_user):
    client = Client()
    client.force_login(admin_user)
    url = reverse("staff:account_active", args=[staff_user.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.is_active, "no reason, no change"
    client.post(url, {"active": "0", "reason": "调离"})
    staff_user.refresh_from_db()
    assert not staff_user.is_active


def test_the_command_creates_and_disables(admin_user, roster, dept_a, tmp_path):
    output = tmp_path / "accounts.xlsx"
    out = io.StringIO()
    call_command(
        "accounts",
        "create",
        "--actor",
        "admin",
        "--department",
        "A",
        "--output",
        str(output),
        stdout=out,
    )
    assert "3 account(s) created" in out.getvalue()
    assert oct(os.stat(output).st_mode & 0o777) == "0o600"
    rows = _sheet_rows(output.read_bytes())[1:]
    assert User.objects.get(username=rows[0][3]).check_password(rows[0][4])
    with pytest.raises(CommandError):
        call_command("accounts", "create", "--actor", "admin", "--output", str(output))
    with pytest.raises(CommandError):
        call_command("accounts", "disable", "--actor", "admin", "--department", "A")
    call_command(
        "accounts",
        "disable",
        "--actor",
        "admin",
        "--department",
        "A",
        "--reason",
        "派驻结束",
        stdout=io.StringIO(),
    )
    assert User.objects.filter(role=Role.STAFF, is_active=False).count() == 3
    liaison = UserFactory(username="li", role=Role.LIAISON)
    with pytest.raises(CommandError):
        call_command("accounts", "enable", "--actor", liaison.username, "--reason", "x")
