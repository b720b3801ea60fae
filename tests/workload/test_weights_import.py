"""Difficulty weights (re-pricing from a month on, audited, with history), the file import
(dry run, all-or-nothing, row-numbered errors, repeat replaces) and the efficiency input."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.history import history_for
from workload import selectors
from workload.models import ItemWeight, StaffWorkloadMonth, WindowWorkloadMonth, WorkloadRecord
from workload.services.aggregates import computed_rows, kept_rows, workload_rebuild
from workload.services.imports import WorkloadFileError, workload_import
from workload.services.records import Row, write_rows
from workload.services.weights import item_weight_set

pytestmark = pytest.mark.django_db


def csv_bytes(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["工号", "窗口编号", "事项编码", "日期", "类型", "数量"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_weight_change_reprices_from_its_month(hall, admin_user, today):
    me, a01, item = hall["me"], hall["a01"], hall["item_a"]
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    write_rows(
        [
            Row(me.pk, a01.pk, item.pk, today, "cases", 10),
            Row(me.pk, a01.pk, item.pk, last_month, "cases", 10),
            Row(me.pk, a01.pk, None, today, "cases", 5),
        ],
        client=None,
    )
    item_weight_set(actor=admin_user, service_item=item, weight="2.5", reason="难度高")
    this = StaffWorkloadMonth.objects.get(staff=me, month=today.replace(day=1))
    before = StaffWorkloadMonth.objects.get(staff=me, month=last_month)
    assert this.points == Decimal("30.00")  # 10 × 2.5 + 5 × 1
    assert before.points == Decimal("10.00")  # a closed month keeps its points
    assert kept_rows() == computed_rows()
    item_weight_set(
        actor=admin_user, service_item=item, weight="3", effective_from=last_month, reason="追溯"
    )
    assert StaffWorkloadMonth.objects.get(staff=me, month=last_month).points == Decimal("30.00")
    assert WindowWorkloadMonth.objects.get(window=a01, month=today.replace(day=1)).points == 35
    assert kept_rows() == computed_rows()
    weight = ItemWeight.objects.get()
    history = history_for(weight)
    assert len(history) == 2 and history[0]["reason"] == "追溯"
    # A new record is priced at the weight of its write.
    write_rows([Row(hall["person_a"].pk, a01.pk, item.pk, today, "cases", 1)], client=None)
    assert WorkloadRecord.objects.get(staff=hall["person_a"]).points == Decimal("3.00")


def test_weight_rules(hall, admin_user, liaison_a):
    with pytest.raises(PermissionDenied):
        item_weight_set(actor=liaison_a, service_item=hall["item_a"], weight=2)
    for bad in ("0", "-1", "abc", "10000"):
        with pytest.raises(ValidationError):
            item_weight_set(actor=admin_user, service_item=hall["item_a"], weight=bad)
    assert not ItemWeight.objects.exists()


def test_import_dry_run_then_commit_and_repeat(hall, admin_user, today):
    me, pa = hall["me"], hall["person_a"]
    content = csv_bytes(
        [
            [me.staff_number, "A01", "", today.isoformat(), "办件", 10],
            [me.staff_number, "A01", "ITEM-A", today.isoformat(), "办件", 3],
            [pa.staff_number, "A01", "", today.isoformat(), "咨询", 8],
        ]
    )
    dry = workload_import(actor=admin_user, content=content, filename="d.csv", commit=False)
    assert dry.ok and not dry.committed and dry.created == 3
    assert not WorkloadRecord.objects.exists() and not StaffWorkloadMonth.objects.exists()
    done = workload_import(actor=admin_user, content=content, filename="d.csv", commit=True)
    assert done.committed and (done.created, done.updated, done.duplicate) == (3, 0, 0)
    assert kept_rows() == computed_rows()
    changed = csv_bytes(
        [
            [me.staff_number, "A01", "", today.isoformat(), "办件", 10],
            [me.staff_number, "A01", "ITEM-A", today.isoformat(), "办件", 5],
        ]
    )
    again = workload_import(actor=admin_user, content=changed, filename="d.csv", commit=True)
    assert (again.created, again.updated, again.duplicate) == (0, 1, 1)
    assert StaffWorkloadMonth.objects.get(staff=me).cases == 15
    assert WorkloadRecord.objects.count() == 3
    assert kept_rows() == computed_rows()
    workload_rebuild()
    assert kept_rows() == computed_rows()


def test_import_all_or_nothing_with_row_numbers(hall, admin_user, today):
    me = hall["me"]
    content = csv_bytes(
        [
            [me.staff_number, "A01", "", today.isoformat(), "办件", 10],
            [me.staff_number, "B01", "", today.isoformat(), "办件", 10],
            ["NOBODY", "A01", "", today.isoformat(), "叫号", 1],
            [me.staff_number, "A01", "", today.isoformat(), "办件", 11],
        ]
    )
    result = workload_import(actor=admin_user, content=content, filename="d.csv", commit=True)
    assert not result.ok and not result.committed and result.error_count == 3
    assert [n for n, _m in result.errors] == [3, 4, 5]
    assert result.errors[0][1].startswith("第3行")
    assert not WorkloadRecord.objects.exists()
    with pytest.raises(WorkloadFileError):
        workload_import(actor=admin_user, content=b"a,b\n1,2\n", filename="d.csv", commit=False)
    with pytest.raises(PermissionDenied):
        workload_import(actor=hall["person_a"], content=content, filename="d.csv", commit=False)


def test_import_pages(client, hall, admin_user, today):
    client.force_login(admin_user)
    me = hall["me"]
    content = csv_bytes([[me.staff_number, "A01", "", today.isoformat(), "帮办代办", 2]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("workload:import")
    assert client.get(url).status_code == 200
    preview = client.post(url, {"file": SimpleUploadedFile("day.csv", content)})
    assert preview.status_code == 200 and not WorkloadRecord.objects.exists()
    token = preview.context["token"]
    done = client.post(url, {"token": token})
    assert done.status_code == 302
    assert StaffWorkloadMonth.objects.get(staff=me).assisted == 2
    assert client.get(reverse("workload:import_template")).status_code == 200


def test_efficiency_by_hand(hall, admin_user, today):
    """东区: A01 earns 10 × 2 (ITEM-A weight 2) + 10 = 30 points, A02 earns 20: A01 100, A02
    66.67. 西区: B01 alone, 5 points: 100. A window with nothing in a month with workload: 0."""
    item_weight_set(actor=admin_user, service_item=hall["item_a"], weight=2)
    a01, a02, b01 = hall["a01"], hall["a02"], hall["b01"]
    month = today.replace(day=1)
    assert selectors.window_efficiency(month, today) is None
    write_rows(
        [
            Row(hall["me"].pk, a01.pk, hall["item_a"].pk, today, "cases", 10),
            Row(hall["person_a"].pk, a01.pk, None, today, "enquiries", 10),
            Row(hall["person_a2"].pk, a02.pk, None, today, "cases", 20),
            Row(hall["person_b"].pk, b01.pk, None, today, "tickets", 5),
        ],
        client=None,
    )
    figures = selectors.window_efficiency(month, today)
    assert figures[a01.pk] == Decimal("100.00")
    assert figures[a02.pk] == Decimal("66.67")
    assert figures[b01.pk] == Decimal("100.00")


def test_pages_and_scope(client, hall, admin_user, liaison_a, liaison_b, staff_user, today):
    write_rows(
        [
            Row(hall["me"].pk, hall["a01"].pk, None, today, "cases", 3),
            Row(hall["person_b"].pk, hall["b01"].pk, None, today, "cases", 4),
        ],
        client=None,
    )
    client.force_login(liaison_a)
    page = client.get(reverse("workload:month"))
    assert page.status_code == 200
    people = [r.staff for r in page.context["page"]]
    assert people == [hall["me"]]
    assert client.get(reverse("workload:weights")).status_code == 403
    client.force_login(staff_user)
    assert [r.staff for r in client.get(reverse("workload:month")).context["page"]] == [hall["me"]]
    client.force_login(admin_user)
    assert client.get(reverse("workload:weights")).status_code == 200
    edit = reverse("workload:weight_edit", args=[hall["item_a"].pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"weight": "0"}).status_code == 400
    assert client.post(edit, {"weight": "1.5", "reason": "调整"}).status_code == 302
    assert ItemWeight.objects.get().weight == Decimal("1.50")


def test_month_page_query_count_is_constant(client, hall, admin_user, today, dept_a):
    from tests.factories import StaffFactory
    from tests.queries import assert_constant_queries
    from windows.models import Stationing

    client.force_login(admin_user)
    url = reverse("workload:month")

    def grow():
        rows = []
        for _n in range(5):
            person = StaffFactory(department=dept_a)
            Stationing.objects.create(staff=person, window=hall["a01"], start_date=today)
            rows.append(Row(person.pk, hall["a01"].pk, None, today, "cases", 1))
        write_rows(rows, client=None)

    grow()
    assert_constant_queries(lambda: client.get(url), grow, at_most=12)


def test_rebuild_command_reprices_after_a_kind_weight_change(hall, settings, today):
    from django.core.management import call_command

    write_rows([Row(hall["me"].pk, hall["a01"].pk, None, today, "tickets", 10)], client=None)
    settings.CENTER = {
        **settings.CENTER,
        "WORKLOAD": {**settings.CENTER["WORKLOAD"], "KIND_WEIGHTS": {"tickets": "0.2"}},
    }
    call_command("workload_rebuild", "--reprice")
    assert StaffWorkloadMonth.objects.get(staff=hall["me"]).points == Decimal("2.00")
    assert kept_rows() == computed_rows()
