"""The audit trail in words (issue #20): who is the person and unit, when is local time without
microseconds, what are field labels and values as labels, the action and reason translated;
filterable by person, record type and dates; a fixed number of queries per page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from core.audit import audited, log_bulk
from core.history import describe_entries, history_for
from staff.models import Gender, Staff
from staff.services import staff_update

from ..conftest import client_for
from ..factories import DepartmentFactory, StaffFactory
from ..queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def center(admin_user):
    admin_user.first_name = "王主任"
    admin_user.save()
    return admin_user


@pytest.fixture
def changed(center, person_a, dept_b):
    """One update of a person by the center administrator: a boolean, a choice, an empty value
    filled, a foreign key."""
    person_a.mobile = ""
    person_a.save()
    return staff_update(
        actor=center,
        staff=person_a,
        reason="seed_demo",
        is_reserve_cadre=True,
        gender=Gender.FEMALE,
        mobile="13912345678",
        department=dept_b,
    )


def page(client, **params) -> str:
    response = client.get(reverse("portal:audit"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_an_update_in_words(changed, center, dept_a, dept_b):
    row = history_for(changed)[0]
    assert row["action"] == "修改"
    assert row["actor"] == "王主任（攀枝花市政务服务中心）"
    assert row["reason"] == "演示数据"
    assert row["timestamp"].microsecond == 0
    assert row["timestamp"].utcoffset() == dt.timedelta(hours=8)  # Asia/Shanghai
    changes = {c["field"]: (c["before"], c["after"]) for c in row["changes"]}
    assert changes["后备干部"] == ("否", "是")
    assert changes["性别"] == ("男", "女")
    assert changes["手机号码"] == ("—", "13912345678")
    assert changes["派驻单位"] == (dept_a.name, dept_b.name)


def rows(html: str) -> str:
    return html[html.index('data-testid="audit-rows"') :]


def test_the_audit_page_speaks_chinese(changed, center):
    html = rows(page(client_for(center)))
    for english in ("create", "update", "False", "True", "None", "seed_demo", ">admin<"):
        assert english not in html, english
    assert "王主任（攀枝花市政务服务中心）" in html
    assert "修改" in html and "演示数据" in html
    local = timezone.localtime(LogEntry.objects.latest("timestamp").timestamp)
    assert f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}" in html
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d+", html)  # no microseconds


def test_a_staff_user_is_named_by_their_record(staff_user, person_a):
    me = Staff.objects.get(user=staff_user)
    with audited(actor=staff_user):
        person_a.notes = "x" if hasattr(person_a, "notes") else None
        person_a.mobile = "13700000000"
        person_a.save()
    row = history_for(person_a)[0]
    assert row["actor"] == f"{me.name}（{me.department.name}）"


def test_a_liaison_is_named_with_their_departments(liaison_a, person_a, dept_a):
    liaison_a.first_name = "李联络"
    liaison_a.save()
    with audited(actor=liaison_a):
        person_a.mobile = "13700000001"
        person_a.save()
    assert history_for(person_a)[0]["actor"] == f"李联络（{dept_a.short_name}）"


def test_bulk_entries_and_system_writes(center):
    log_bulk(actor=None, model=Staff, action="seed_demo", count=12, reason="seed_demo")
    [row] = describe_entries(list(LogEntry.objects.filter(object_pk="*")))
    assert row["actor"] == ""
    assert row["object"] == "工作人员 ×12"
    assert row["reason"] == "演示数据"
    html = page(client_for(center))
    assert "系统" in html and "工作人员 ×12" in html


def test_filters(changed, center, person_b, liaison_b, dept_b):
    with audited(actor=liaison_b):
        DepartmentFactory(name="新单位")
    client = client_for(center)
    by_person = page(client, person="王主任")
    assert changed.name in by_person and "新单位" not in by_person
    assert "新单位" in page(client, person="liaison_b")  # the login still finds them
    by_type = page(client, model="staff.department")
    assert "新单位" in by_type and changed.name not in by_type
    today = timezone.localdate()
    assert changed.name in page(client, since=today.isoformat(), until=today.isoformat())
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert changed.name not in page(client, until=yesterday)
    # Bad input: a translated error, nothing listed.
    bad = page(client, since=today.isoformat(), until=yesterday)
    assert "结束日期早于开始日期" in bad and changed.name not in bad
    assert "选择一个有效的选项" in page(client, model="nope.nope")


def test_the_audit_page_runs_constant_queries(center, dept_a, dept_b, liaison_a, staff_user):
    client = client_for(center)
    actors = [center, liaison_a, staff_user]

    def write(n):
        for i in range(n):
            person = StaffFactory(department=dept_a)
            with audited(actor=actors[i % 3], reason="seed_demo"):
                person.department = dept_b
                person.is_reserve_cadre = True
                person.save()

    write(3)
    assert_constant_queries(lambda: page(client), lambda: write(9), at_most=10)
