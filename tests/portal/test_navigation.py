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
    assert not {"liaison", "my-training"} & sections(hr_user)
