"""What leaves the system: the xlsx (sheets, Chinese headers, contents for a seeded person,
formula safety) and frozen snapshots (same template, unchanged when the record changes)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.services.entries import entry_record
from promotions.evidence.pack import build_pack
from promotions.evidence.snapshots import freeze
from promotions.evidence.xlsx import SHEETS, PackWorkbook, pack_xlsx

pytestmark = pytest.mark.django_db

PERIOD = {"start": date(2024, 1, 1), "end": date(2026, 11, 20)}


def rows(book, title):
    return [[cell.value for cell in row] for row in book[title].iter_rows()]


def test_one_sheet_per_part_with_chinese_headers(grow, record_world, admin_user):
    grow(2)
    pack = build_pack(record_world["person"], viewer=admin_user, **PERIOD)
    book = load_workbook(io.BytesIO(pack_xlsx(pack)))
    assert book.sheetnames == [title for _part, title, _h, _r in SHEETS]
    assert rows(book, "基本信息")[0][:5] == ["工号", "姓名", "性别", "出生日期", "身份证号"]
    identity = rows(book, "基本信息")[1]
    person = record_world["person"]
    assert identity[:5] == [person.staff_number, "甲部门人员", "男", identity[3], person.id_number]
    assert identity[3].date() == date(1988, 5, 17)
    assert book["基本信息"]["D2"].number_format == "yyyy-mm-dd"
    monthly = rows(book, "月度考核")
    assert monthly[0][:6] == ["月份", "窗口", "基础分", "扣分", "加分", "得分"]
    assert [r[0] for r in monthly[1:]] == ["2024-03", "2024-09", "2025-03", "2025-09"]
    assert monthly[1][5] == 101  # a number, not text
    annual = rows(book, "年度考核")
    assert annual[1][0] == 2024 and annual[1][-1] == "优秀"
    deductions = rows(book, "扣分及申诉")
    assert deductions[1][8] == "已撤销" and deductions[1][10] == "撤销扣分"  # cancelled on appeal
    assert deductions[1][12] == "情况属实"
    training = rows(book, "培训学时")
    assert sorted((r[1], r[2]) for r in training[1:]) == [("中心组织", 6), ("部门组织", 6)]
    ratings = rows(book, "好差评")
    assert ratings[1][:7] == [12, 12, 4, 4, 0, 4, 0]
    assert [r[1] for r in rows(book, "中心鉴定")[1:]] == ["2024年度表现突出", "2025年度表现突出"]


def test_cells_that_a_spreadsheet_would_evaluate_are_neutralized(grow, record_world, admin_user):
    grow(1)
    from promotions.models import Appraisal

    Appraisal.objects.create(
        staff=record_world["person"],
        date=date(2026, 1, 5),
        text="+1+cmd|' /C calc'!A0",
        written_by=admin_user,
    )
    pack = build_pack(record_world["person"], viewer=admin_user, **PERIOD)
    book = load_workbook(io.BytesIO(pack_xlsx(pack)))
    notes = [r[-1] for r in rows(book, "扣分及申诉")[1:]]
    assert notes and all(n == "'=HYPERLINK(1)" for n in notes)
    assert "'+1+cmd|' /C calc'!A0" in [r[1] for r in rows(book, "中心鉴定")]
    for title in book.sheetnames:
        for row in rows(book, title):
            for value in row:
                assert not (isinstance(value, str) and value[:1] in "=+-@\t\r"), (title, value)


def test_batch_workbook_prefixes_every_row_with_the_person(grow, record_world, admin_user):
    grow(1)
    book = PackWorkbook(batch=True)
    for person in (record_world["person"], record_world["colleague"]):
        book.add(build_pack(person, viewer=admin_user, **PERIOD))
    buffer = io.BytesIO()
    book.save(buffer)
    loaded = load_workbook(io.BytesIO(buffer.getvalue()))
    assert len(rows(loaded, "基本信息")) == 3
    monthly = rows(loaded, "月度考核")
    assert monthly[0][:4] == ["工号", "姓名", "派驻单位", "月份"]
    assert {r[1] for r in monthly[1:]} == {"甲部门人员", "同事"}


def _month_row(html: str, month: str) -> str:
    table = html.split('data-testid="monthly-scores"', 1)[1].split("</table>", 1)[0]
    return next(r for r in re.findall(r"<tr>.*?</tr>", table, re.S) if f"<td>{month}</td>" in r)


def test_a_snapshot_shows_what_was_sent_after_the_record_changes(
    grow, record_world, admin_user, liaison_a, as_user
):
    grow(1)
    person = record_world["person"]
    pack = build_pack(person, viewer=admin_user, **PERIOD)
    snapshot = freeze(
        staff=person,
        period_start=PERIOD["start"],
        period_end=PERIOD["end"],
        content=pack,
        actor=admin_user,
    )
    record_world["pin"](date(2025, 9, 20))
    entry_record(
        actor=admin_user, staff=person, rule=record_world["rules"]["D01"], date=date(2025, 9, 15)
    )
    record_world["pin"](date(2026, 11, 20))
    client = as_user(admin_user)
    frozen = client.get(reverse("promotions:snapshot", args=[snapshot.number])).content.decode()
    live = client.get(
        reverse("promotions:evidence", args=[person.pk]),
        {"start": "2024-01-01", "end": "2026-11-20"},
    ).content.decode()
    assert "100.00" in _month_row(frozen, "2025-09")
    assert "99.00" in _month_row(live, "2025-09")
    assert snapshot.number in frozen and snapshot.content_hash in frozen
    assert 'data-testid="verified"' in frozen
    # The same template: the live page has every section the frozen one has.
    sections = re.findall(r'<section class="evidence-part" id="([^"]+)"', frozen)
    assert sections and sections == re.findall(r'<section class="evidence-part" id="([^"]+)"', live)
    # The frozen content holds the full ID (frozen by the center); a liaison still sees it masked.
    as_liaison = as_user(liaison_a).get(reverse("promotions:snapshot", args=[snapshot.number]))
    assert person.id_number not in as_liaison.content.decode()
    assert person.masked_id_number in as_liaison.content.decode()
    book = load_workbook(
        io.BytesIO(
            as_user(liaison_a)
            .get(reverse("promotions:snapshot_xlsx", args=[snapshot.number]))
            .content
        )
    )
    assert rows(book, "基本信息")[1][4] == person.masked_id_number


def test_a_tampered_snapshot_is_not_marked_verified(record_world, admin_user, as_user):
    from django.db import connection

    person = record_world["person"]
    snapshot = freeze(
        staff=person,
        period_start=PERIOD["start"],
        period_end=PERIOD["end"],
        content=build_pack(person, viewer=admin_user, **PERIOD),
        actor=admin_user,
    )
    content = dict(snapshot.content, version=99)
    import json

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE promotions_evidencesnapshot SET content = %s WHERE id = %s",
            [json.dumps(content), snapshot.pk],
        )
    html = as_user(admin_user).get(reverse("promotions:snapshot", args=[snapshot.number]))
    assert 'data-testid="not-verified"' in html.content.decode()
