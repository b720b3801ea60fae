"""Demo inspection rounds: a checklist, a daily round on each working day of the last four weeks
and a weekly round led by the center's leader each Monday, a few findings each (with photos),
some withdrawn. Through the services, so the audit trail is real and the closed rounds' rule
findings are deductions (in a month already closed, only observations without a rule). A fixed,
small number whatever ``--staff``: a hall is walked, not every window of a province."""

from __future__ import annotations

import random
import struct
import zlib
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.models import AssessmentRule, Period, PeriodKind, PeriodStatus
from inspections import services
from staff.models import Role, User
from windows.models import Stationing, Window

ITEMS = [
    ("工作人员擅离岗位、窗口无人", "D04"),
    ("未按规定签到签退", "D02"),
    ("未落实首问负责制", "S01"),
    ("着装不规范、未佩戴工作牌", None),
    ("台面不整洁、摆放与业务无关物品", None),
    ("暂离未摆放暂离牌", None),
]
NOTES = ["巡查时窗口无人，约十分钟后返回", "未佩戴工作牌", "台面摆放私人物品", "暂离牌未摆放"]
ROUND_WINDOWS = 20


def photo() -> SimpleUploadedFile:
    """A small real PNG (a grey square) standing for the inspector's photo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * 32 for _ in range(32))
    header = struct.pack(">IIBBBBB", 32, 32, 8, 2, 0, 0, 0)
    content = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("现场照片.png", content, content_type="image/png")


def _closed(day: date) -> bool:
    return Period.objects.filter(
        kind=PeriodKind.MONTH, year=day.year, number=day.month, status=PeriodStatus.CLOSED
    ).exists()


def build(*, rng: random.Random, today: date) -> None:
    admin = User.objects.filter(role=Role.CENTER_ADMIN, is_active=True).order_by("id").first()
    windows = list(Window.objects.filter(active=True).order_by("code", "id")[:200])
    if admin is None or not windows:
        return
    rules = {r.code: r for r in AssessmentRule.objects.filter(code__in=[c for _t, c in ITEMS if c])}
    checklist = services.checklist_save(
        actor=admin,
        name="窗口日常巡查清单",
        items=[(text, rules.get(code)) for text, code in ITEMS],
    )
    items = list(checklist.items.order_by("position"))
    people: dict[int, list] = {}
    for stationing in Stationing.objects.open().filter(window__in=windows).select_related("staff"):
        people.setdefault(stationing.window_id, []).append(stationing.staff)
    staffed = [w for w in windows if people.get(w.pk)]
    zone = timezone.get_current_timezone()
    day = today - timedelta(days=28)
    while day < today:
        if day.weekday() < 5:
            kind = "weekly" if day.weekday() == 0 else "daily"
            start = datetime.combine(day, time(9, 30) if kind == "daily" else time(14, 30), zone)
            covered = rng.sample(staffed, min(ROUND_WINDOWS, len(staffed)))
            round_ = services.round_open(
                actor=admin,
                kind=kind,
                checklist=checklist,
                inspectors=[admin],
                leader=admin if kind == "weekly" else None,
                windows=covered,
                started_at=start,
                notes="每周一下午由中心领导带班巡查" if kind == "weekly" else "",
            )
            # A month already closed took its deductions then: only observations are left.
            choices = items if not _closed(day) else [i for i in items if i.rule is None]
            for number in range(rng.randint(0, 3)):
                window = rng.choice(covered)
                item = rng.choice(choices)
                finding = services.finding_record(
                    actor=admin,
                    round=round_,
                    window=window,
                    staff=rng.choice(people[window.pk]),
                    item=item,
                    note=rng.choice(NOTES),
                    photos=[photo()] if item.rule is None or item.rule.evidence_required else [],
                    observed_at=start + timedelta(minutes=10 + 7 * number),
                )
                if item.rule is None:
                    continue
                if rng.random() < 0.25:
                    services.finding_withdraw(
                        actor=admin, finding=finding, reason="经核实属正常业务暂离"
                    )
            if day < today - timedelta(days=1):  # yesterday's and today's rounds stay open
                services.round_close(actor=admin, round=round_)  # enters its rule findings
        day += timedelta(days=1)
