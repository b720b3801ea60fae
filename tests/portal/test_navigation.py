"""The sidebar: each role sees what it may open, and the personal pages only their own role has."""

from __future__ import annotations

import pytest

from portal.navigation import items_for

pytestmark = pytest.mark.django_db


def sections(user) -> set[str]:
    return {item["section"] for item in items_for(user)}


def test_personal_pages_are_for_their_own_role(admin_user, liaison_a, hr_user, staff_user):
    admin = sections(admin_user)
    assert "liaison" not in admin and "my-training" not in admin
    assert {"dashboard", "joint-center", "staff"} <= admin
    assert "liaison" in sections(liaison_a) and "my-training" not in sections(liaison_a)
    assert "my-training" in sections(staff_user) and "liaison" not in sections(staff_user)
    assert "my-attendance" in sections(staff_user) and "my-attendance" not in admin
    assert not {"liaison", "my-training"} & sections(hr_user)


def test_items_of_a_group_are_together_in_the_groups_order():
    from portal.navigation import GROUPS, ITEMS

    assert list(dict.fromkeys(item.group for item in ITEMS)) == list(GROUPS)


def test_a_long_sidebar_has_group_headings_a_short_one_none(admin_user, staff_user, client):
    from django.utils import translation

    with translation.override("zh-hans"):
        headings = [str(e["heading"]) for e in items_for(admin_user) if e.get("heading")]
    assert headings == [
        "人员管理",
        "窗口管理",
        "考核评价",
        "考勤管理",
        "培训管理",
        "选拔推荐",
        "共管共育",
        "系统",
    ]
    assert not any(e.get("heading") for e in items_for(staff_user))

    client.force_login(admin_user)
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'class="nav-heading' in page and "考核评价" in page
