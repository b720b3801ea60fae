"""Evidence packs as xlsx: one sheet per part, Chinese headers.

Headers and choice labels are the file format HR files away, so they are fixed in Chinese
whatever the interface language (as the roster's are, ``staff/roster_cells.py``). Every cell passes
through ``core.spreadsheets.safe_row``: text that a spreadsheet would evaluate (``= + - @``, tab,
CR) is prefixed with ``'``.

:class:`PackWorkbook` streams rows (openpyxl write-only), so a batch of a thousand people is
written a few people at a time without keeping the packs in memory; a batch workbook repeats the
person's staff number, name and department in front of every sheet's rows so HR can filter and
sort across the shortlist.

Long because: the workbook format — one sheet writer per part of the pack, in the pack's order,
with the Chinese headers beside the rows they head.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.spreadsheets import safe_row

from .labels import label, period_label

YES, NO = "是", "否"
PERSON_HEADERS = ("工号", "姓名", "派驻单位")


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _num(value: str | None) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def _yes(value: bool) -> str:
    return YES if value else NO


def _identity(pack: dict[str, Any]) -> Iterable[list[Any]]:
    i = pack["identity"]
    yield [
        i["staff_number"],
        i["name"],
        label("gender", i["gender"]),
        _date(i["date_of_birth"]),
        i["id_number"],
        label("political_status", i["political_status"]),
        label("employment_type", i["employment_type"]),
        i["rank"],
        label("education", i["education"]),
        pack["identity"]["department"]["name"],
        label("center_role", i["center_role"]),
        label("status", i["status"]),
        _yes(i["is_reserve_cadre"]),
        _date(pack["period"]["start"]),
        _date(pack["period"]["end"]),
        pack["tenure"]["months_in_period"],
    ]


def _stationings(pack):
    for s in pack["stationings"]:
        yield [
            s["window_code"],
            s["window_name"],
            s["window_department"],
            label("post", s["post"]),
            _date(s["start_date"]),
            _date(s["end_date"]),
            label("end_reason", s["end_reason"]),
            _yes(s["is_early_end"]),
            s["months"],
            s["months_in_period"],
        ]


def _chief(pack):
    for a in pack["chief_service"]:
        yield [
            a["window_code"],
            a["window_name"],
            a["appointment_number"],
            a["authorization_number"],
            _date(a["valid_from"]),
            _date(a["valid_until"]),
        ]


def _certificates(pack):
    for c in pack["certificates"]:
        yield [c["number"], _date(c["issued_on"]), _date(c["expires_on"]), _yes(c["valid_at_end"])]


def _ranks(s):
    return [s["rank_center"], s["center_size"], s["rank_department"], s["department_size"]]


def _monthly(pack):
    for s in pack["monthly_scores"]:
        yield [
            period_label(s),
            s["window"],
            _num(s["base"]),
            _num(s["deductions"]),
            _num(s["bonus"]),
            _num(s["total"]),
            *_ranks(s),
        ]


def _annual(pack):
    for s in pack["annual_scores"]:
        yield [
            s["year"],
            _num(s["monthly_average"]),
            _num(s["review_score"]),
            _num(s["total"]),
            *_ranks(s),
            label("grade", s["suggested_grade"]),
            label("grade", s["department_grade"]),
        ]


def _entry(e):
    return [
        _date(e["date"]),
        e["rule_code"],
        e["rule"],
        label("rule_category", e["category"]),
        e["window"],
        _num(e["quantity"]),
        _num(e["points"]),
        _num(e["original_points"]),
        label("entry_status", e["status"]),
    ]


def _deductions(pack):
    for e in pack["deductions"]:
        yield [
            *_entry(e),
            e["joint_liability_for"],
            label("appeal_status", e["appeal_status"]),
            _num(e["appeal_points_after"]),
            e["appeal_decision"],
            e["notes"],
        ]


def _bonuses(pack):
    for e in pack["bonuses"]:
        yield [*_entry(e), e["notes"]]


def _awards(pack):
    for a in pack["awards"]:
        yield [period_label(a), label("award", a["kind"]), a["rank"], _num(a["score"])]


RATE_KEYS = ("good_rate", "unrated_rate", "reply_rate", "rectification_rate")


def _ratings(pack):
    r = pack["ratings"]
    yield [
        r["events"],
        r["rated"],
        *[r["levels"].get(level, 0) for level in ("5", "4", "3", "2", "1")],
        *[_num(r[key]) for key in RATE_KEYS],
        _num(r["satisfaction_after_rate"]),
    ]


def _training(pack):
    for t in pack["training"]["rows"]:
        yield [
            label("course_category", t["category"]),
            label("side", t["side"]),
            _num(t["hours"]),
            t["sessions"],
        ]


def _workload(pack):
    for w in pack.get("workload", []):  # frozen packs from before issue #18 have none
        yield [
            w["year"],
            w["cases"],
            w["tickets"],
            w["enquiries"],
            w["assisted"],
            _num(w["points"]),
        ]


def _appraisals(pack):
    for a in pack["appraisals"]:
        yield [_date(a["date"]), a["text"], a["written_by"]]


Rows = Callable[[dict[str, Any]], Iterable[list[Any]]]

#: (part, sheet title, headers, rows). The identity sheet carries the person itself.
SHEETS: tuple[tuple[str, str, tuple[str, ...], Rows], ...] = (
    (
        "identity",
        "基本信息",
        (
            "工号",
            "姓名",
            "性别",
            "出生日期",
            "身份证号",
            "政治面貌",
            "用工性质",
            "职级",
            "学历",
            "派驻单位",
            "岗位类别",
            "在岗状态",
            "后备干部",
            "证据期间起",
            "证据期间止",
            "期间内窗口服务月数",
        ),
        _identity,
    ),
    (
        "stationings",
        "窗口任职",
        (
            "窗口编号",
            "窗口名称",
            "窗口所属单位",
            "岗位",
            "开始日期",
            "结束日期",
            "结束原因",
            "提前调整",
            "任职月数",
            "期间内月数",
        ),
        _stationings,
    ),
    (
        "chief_service",
        "首席代表",
        ("窗口编号", "窗口名称", "任命书编号", "授权书编号", "有效期起", "有效期止"),
        _chief,
    ),
    ("certificates", "执法证", ("证件编号", "发证日期", "有效期至", "期末有效"), _certificates),
    (
        "monthly_scores",
        "月度考核",
        (
            "月份",
            "窗口",
            "基础分",
            "扣分",
            "加分",
            "得分",
            "中心排名",
            "中心参评人数",
            "单位排名",
            "单位参评人数",
        ),
        _monthly,
    ),
    (
        "annual_scores",
        "年度考核",
        (
            "年度",
            "月度平均分",
            "年终评议",
            "年度得分",
            "中心排名",
            "中心参评人数",
            "单位排名",
            "单位参评人数",
            "中心建议等次",
            "单位确定等次",
        ),
        _annual,
    ),
    (
        "deductions",
        "扣分及申诉",
        (
            "日期",
            "规则编号",
            "规则",
            "类别",
            "窗口",
            "数量",
            "扣分",
            "原始扣分",
            "状态",
            "连带责任（因）",
            "申诉结果",
            "申诉后扣分",
            "申诉决定",
            "备注",
        ),
        _deductions,
    ),
    (
        "bonuses",
        "加分",
        ("日期", "规则编号", "规则", "类别", "窗口", "数量", "加分", "原始加分", "状态", "备注"),
        _bonuses,
    ),
    ("awards", "表彰奖励", ("期间", "奖项", "名次", "评分"), _awards),
    (
        "ratings",
        "好差评",
        (
            "服务事件数",
            "已评价数",
            "非常满意",
            "满意",
            "基本满意",
            "不满意",
            "非常不满意",
            "好评率（%）",
            "未评价率（%）",
            "差评回复率（%）",
            "差评整改率（%）",
            "整改后满意率（%）",
        ),
        _ratings,
    ),
    ("training", "培训学时", ("课程类别", "组织方", "学时", "场次"), _training),
    ("workload", "工作量", ("年度", "办件", "叫号", "咨询", "帮办代办", "加权积分"), _workload),
    ("appraisals", "中心鉴定", ("日期", "鉴定意见", "撰写人"), _appraisals),
)


class PackWorkbook:
    """A workbook with one sheet per part; ``add(pack)`` appends a person's rows to each sheet.

    ``batch=True`` puts the person's staff number, name and department in front of the rows of
    every sheet but the identity sheet (which has them already).
    """

    def __init__(self, *, batch: bool = False) -> None:
        self.batch = batch
        self.workbook = Workbook(write_only=True)
        self.sheets = []
        for part, title, headers, rows in SHEETS:
            sheet = self.workbook.create_sheet(title=title)
            prefix = PERSON_HEADERS if batch and part != "identity" else ()
            sheet.append([*prefix, *headers])
            self.sheets.append((part, sheet, rows))

    def add(self, pack: dict[str, Any]) -> None:
        with translation.override("zh-hans"):  # choice labels are part of the file format
            self._add(pack)

    def _add(self, pack: dict[str, Any]) -> None:
        person = [
            pack["identity"]["staff_number"],
            pack["identity"]["name"],
            pack["identity"]["department"]["name"],
        ]
        for part, sheet, rows in self.sheets:
            prefix = person if self.batch and part != "identity" else []
            for row in rows(pack):
                sheet.append([self._cell(sheet, v) for v in safe_row([*prefix, *row])])

    @staticmethod
    def _cell(sheet, value: Any) -> Any:
        if isinstance(value, date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "yyyy-mm-dd"
            return cell
        return value

    def save(self, target: IO[bytes]) -> None:
        self.workbook.save(target)

    def discard(self) -> None:
        """Close the sheets' temporary files of a workbook that will not be saved."""
        for _part, sheet, _rows in self.sheets:
            sheet.close()


def pack_xlsx(pack: dict[str, Any]) -> bytes:
    """One person's evidence pack as an xlsx file."""
    book = PackWorkbook()
    book.add(pack)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pack_filename(pack: dict[str, Any], *, number: str = "") -> str:
    identity = pack["identity"]
    suffix = f"-{number}" if number else ""
    return f"晋升佐证材料-{identity['staff_number']}-{identity['name']}{suffix}.xlsx"
