"""Every notifications URL × every persona → expected status. Each user sees only their own."""

import pytest
from django.contrib.contenttypes.models import ContentType

from notifications.models import Notification
from tests.conftest import client_for
from tests.matrix import PERSONAS, Case, expect, run_case

ADMINS = lambda o: [o["admins"].pk]  # noqa: E731
STAFFS = lambda o: [o["staffs"].pk]  # noqa: E731
ONLY_ADMIN = {"liaison_a": 404, "liaison_b": 404, "hr": 404, "staff": 404}
ONLY_STAFF = {"admin": 404, "liaison_a": 404, "liaison_b": 404, "hr": 404}

MATRIX = [
    Case("notifications:list", expect()),
    Case("notifications:list", expect(), query="unread=1"),
    Case("notifications:preferences", expect()),
    Case(
        "notifications:preferences",
        expect(admin=400, liaison_a=400, liaison_b=400, hr=400, staff=400),
        method="post",
        data=lambda o: {"language": "fr"},
    ),
    Case("notifications:open", expect(admin=302, **ONLY_ADMIN), args=ADMINS),
    Case("notifications:open", expect(staff=302, **ONLY_STAFF), args=STAFFS),
    Case(
        "notifications:mark_read",
        expect(admin=302, **ONLY_ADMIN),
        args=ADMINS,
        method="post",
    ),
    Case(
        "notifications:mark_read",
        expect(staff=302, **ONLY_STAFF),
        args=STAFFS,
        method="post",
    ),
    Case(
        "notifications:mark_all_read",
        expect(admin=302, liaison_a=302, liaison_b=302, hr=302, staff=302),
        method="post",
    ),
    # API
    Case("notification-list", expect(anonymous=403)),
    Case("notification-detail", expect(anonymous=403, **ONLY_ADMIN), args=ADMINS),
    Case("notification-detail", expect(anonymous=403, **ONLY_STAFF), args=STAFFS),
    Case("notification-read", expect(anonymous=403, **ONLY_ADMIN), args=ADMINS, method="post"),
    Case("notification-read", expect(anonymous=403, **ONLY_STAFF), args=STAFFS, method="post"),
    Case("notification-read-all", expect(anonymous=403), method="post"),
]

assert all(set(case.expect) == set(PERSONAS) for case in MATRIX)


def _notification(user) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind="certificate.expiring",
        subject_type=ContentType.objects.get_for_model(user),
        subject_id=user.pk,
        period="60d",
        title=f"给{user.username}的提醒",
        link="/",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("case", MATRIX, ids=lambda c: c.id())
def test_matrix(case, personas, admin_user, staff_user):
    objects = {"admins": _notification(admin_user), "staffs": _notification(staff_user)}
    for persona in PERSONAS:
        run_case(case, persona, personas, objects, client_for(personas[persona]))
    # Nobody marked anyone else's notification read.
    if case.url_name in ("notifications:mark_read", "notifications:open", "notification-read"):
        owner = admin_user if case.args is ADMINS else staff_user
        others = Notification.objects.exclude(recipient=owner)
        assert not others.filter(read_at__isnull=False).exists()
