"""The notification center: own rows only, constant queries, htmx mark-read, links, preferences."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification, Preference
from tests.conftest import client_for


def make(user, n: int, *, start: int = 0, link: str = "/staff/1/", params=None, body=""):
    """``n`` rows of the user's; ``params`` (stored form) None: rows as written before issue #20."""
    ct = ContentType.objects.get_for_model(user)
    return Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind="certificate.expiring",
            subject_type=ct,
            subject_id=start + i + 1,
            period="60d",
            params=params,
            title=f"提醒{start + i}",
            body=body,
            link=link,
        )
        for i in range(n)
    )


@pytest.mark.django_db
def test_list_shows_only_own_notifications(liaison_a, liaison_b):
    make(liaison_a, 2)
    ct = ContentType.objects.get_for_model(liaison_b)
    Notification.objects.create(
        recipient=liaison_b, kind="x", subject_type=ct, subject_id=1, period="p", title="别人的提醒"
    )
    response = client_for(liaison_a).get(reverse("notifications:list"))
    content = response.content.decode()
    assert "提醒0" in content and "提醒1" in content
    assert "别人的提醒" not in content


@pytest.mark.django_db
def test_list_and_badge_query_count_is_constant(staff_user, django_assert_num_queries):
    client = client_for(staff_user)
    url = reverse("notifications:list")
    make(staff_user, 5)
    client.get(url)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    assert response.content.decode().count('data-testid="notification"') == 5
    make(staff_user, 5, start=5)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-testid="notification"') == 10


@pytest.mark.django_db
def test_badge_in_top_bar_counts_unread(admin_user):
    make(admin_user, 3)
    Notification.objects.filter(title="提醒0").update(read_at="2026-01-01T00:00:00Z")
    response = client_for(admin_user).get(reverse("staff:list"))
    content = response.content.decode()
    assert 'data-testid="notification-badge"' in content
    assert '>2<span class="visually-hidden">条未读通知' in content


@pytest.mark.django_db
def test_mark_read_with_htmx_updates_row_and_badge(admin_user):
    first, _second = make(admin_user, 2)
    response = client_for(admin_user).post(
        reverse("notifications:mark_read", args=[first.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="notification-{first.pk}"' in content
    assert "标为已读" not in content  # the button is gone
    assert 'hx-swap-oob="true"' in content and ">1<span" in content
    first.refresh_from_db()
    assert first.read_at is not None


@pytest.mark.django_db
def test_open_marks_read_and_follows_only_local_links(admin_user):
    (local,) = make(admin_user, 1, link="/staff/7/")
    (foreign,) = make(admin_user, 1, start=1, link="https://evil.example.com/")
    client = client_for(admin_user)
    response = client.get(reverse("notifications:open", args=[local.pk]))
    assert response["Location"] == "/staff/7/"
    local.refresh_from_db()
    assert local.read_at is not None
    response = client.get(reverse("notifications:open", args=[foreign.pk]))
    assert response["Location"] == reverse("notifications:list")


@pytest.mark.django_db
def test_mark_all_read_touches_only_own(admin_user, hr_user):
    make(admin_user, 3)
    make(hr_user, 2)
    client_for(admin_user).post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=admin_user, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=hr_user, read_at__isnull=True).count() == 2


@pytest.mark.django_db
def test_preferences_page_saves_choices_with_audit(staff_user):
    client = client_for(staff_user)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "执法证即将到期" in page and "窗口任职即将满期" in page
    response = client.post(
        reverse("notifications:preferences"),
        {"language": "en", "email_kinds": ["certificate.expired"]},
    )
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.language == "en"
    prefs = dict(Preference.objects.filter(user=staff_user).values_list("kind", "email"))
    assert prefs["certificate.expired"] is True
    assert prefs["certificate.expiring"] is False
    entry = LogEntry.objects.get_for_model(Preference).filter(actor=staff_user).first()
    assert entry is not None and entry.additional_data["reason"] == "通知设置"


@pytest.mark.django_db
def test_preferences_bad_input_changes_nothing(staff_user):
    response = client_for(staff_user).post(
        reverse("notifications:preferences"), {"language": "en", "email_kinds": ["bogus"]}
    )
    assert response.status_code == 400
    assert "bogus" in response.content.decode()  # Django's "select a valid choice" message
    staff_user.refresh_from_db()
    assert staff_user.language == "zh-hans"
    assert not Preference.objects.exists()


@pytest.mark.django_db
def test_api_lists_own_notifications_with_constant_queries(hr_user, admin_user):
    client = client_for(hr_user)
    url = reverse("notification-list")
    make(hr_user, 4)
    make(admin_user, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    assert response.json()["count"] == 4
    make(hr_user, 4, start=4)
    with CaptureQueriesContext(connection) as second:
        response = client.get(url + "?unread=1")
    assert response.json()["count"] == 8
    assert len(second.captured_queries) == len(first.captured_queries)
    assert {row["title"] for row in response.json()["results"]} == {f"提醒{i}" for i in range(8)}


@pytest.mark.django_db
def test_api_mark_read(hr_user):
    first, _second = make(hr_user, 2)
    client = client_for(hr_user)
    response = client.post(reverse("notification-read", args=[first.pk]))
    assert response.status_code == 200 and response.json()["is_read"] is True
    response = client.post(reverse("notification-read-all"))
    assert response.json() == {"marked": 1}
    assert not Notification.objects.filter(read_at__isnull=True).exists()
