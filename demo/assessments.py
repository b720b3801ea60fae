"""Demo data: two years of monthly results with entries, appeals in every state, citizen ratings
with a realistic share of bad ones and their rectification cases, and awards.

Reads the windows and stationings the lower apps created (if the windows demo has not run, it
stations the window staff itself, so this step works on the foundation alone). Everything is
written in bulk and scores are computed by the same aggregate service the center uses, so
``seed_demo --staff 100000`` stays in minutes.

Long because: a generator read top to bottom — periods, entries, appeals, ratings and their cases,
awards, each step feeding the next; only ``seed_demo`` imports it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

from django.db import transaction
from django.db.models import Case, DecimalField, ExpressionWrapper, F, Value, When
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils import timezone

from assessments.models import (
    Appeal,
    AppealStatus,
    AssessmentRule,
    AwardKind,
    Entry,
    EntryStatus,
    Grade,
    Period,
    PeriodKind,
    PeriodStatus,
    Rating,
    RatingChannel,
    Rectification,
    RectificationLog,
    RectificationStatus,
    RuleKind,
    Score,
    WindowAssessment,
)
from assessments.rules_seed import load as load_rules
from assessments.services.awards import awards_select
from assessments.services.scores import period_get_or_create, score_recompute
from core.audit import log_bulk
from core.workdays import add_working_days
from staff.models import CenterRole, EmploymentType, Staff, StaffStatus
from windows.models import Post, ServiceItem, Stationing, Window

MONTHS = 24
RATING_BUDGET = (
    60_000  # ratings rows at most, whatever the headcount (about 2 per person-month at 470)
)
# rule code → relative frequency among deductions / bonuses
DEDUCTION_MIX = {
    "D01": 40,
    "D02": 25,
    "S01": 12,
    "D04": 8,
    "E02": 5,
    "E01": 4,
    "S02": 3,
    "D03": 2,
    "R01": 3,
    "Q01": 1,
}
BONUS_MIX = {"B01": 5, "B02": 1}
APPEAL_OUTCOMES = [
    (AppealStatus.UPHELD, 50),
    (AppealStatus.REDUCED, 25),
    (AppealStatus.CANCELLED, 15),
    (AppealStatus.WITHDRAWN, 10),
]
LEVELS = [("", 8), ("5", 60), ("4", 20), ("3", 9), ("2", 2), ("1", 1)]
COMMENTS_BAD = [
    "等候时间太长",
    "材料要求没有一次性告知",
    "工作人员态度生硬",
    "系统故障无法办理",
    "窗口无人",
]
COMMENTS_GOOD = ["", "", "办事效率高", "服务热情", "一次办好"]
REPLIES = [
    "已电话回访致歉，说明办理流程",
    "已一次性告知所需材料并协助补正",
    "已对窗口人员进行提醒谈话",
]


def _month_start(day: date, back: int) -> date:
    y, m = day.year, day.month - back
    while m <= 0:
        m += 12
        y -= 1
    return date(y, m, 1)


@lru_cache(maxsize=4096)
def _deadline(day: date, n: int) -> date:
    return add_working_days(day, n)


def _ensure_stationings(rng: random.Random, today: date) -> None:
    """Station every active window person if no window exists yet (foundation-only databases)."""
    if Window.objects.exists():
        return
    people = list(
        Staff.objects.filter(center_role=CenterRole.WINDOW)
        .exclude(status=StaffStatus.LEFT)
        .order_by("department_id", "id")
        .values_list("id", "department_id", "employment_type")
    )
    by_department: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for staff_id, department_id, employment in people:
        by_department[department_id].append((staff_id, employment))
    windows, items = [], []
    plan: list[tuple[int, list[tuple[int, str]]]] = []
    number = 0
    for department_id, members in sorted(by_department.items()):
        for start in range(0, len(members), 6):
            number += 1
            windows.append(
                Window(
                    code=f"C{number:04d}",
                    name=f"综合窗口{number}",
                    department_id=department_id,
                    hall_area="一楼大厅" if number % 2 else "二楼大厅",
                    floor=1 + number % 2,
                    headcount_quota=6,
                )
            )
            plan.append((department_id, members[start : start + 6]))
    Window.objects.bulk_create(windows, batch_size=2000)
    windows = list(Window.objects.order_by("id"))
    for window in windows:
        items.append(
            ServiceItem(
                code=f"SX-{window.code}",
                name=f"{window.name}常办事项",
                department_id=window.department_id,
            )
        )
    ServiceItem.objects.bulk_create(items, batch_size=2000)
    item_by_code = dict(ServiceItem.objects.values_list("code", "id"))
    through = Window.service_items.through
    through.objects.bulk_create(
        [through(window_id=w.id, serviceitem_id=item_by_code[f"SX-{w.code}"]) for w in windows],
        batch_size=5000,
    )
    stationings = []
    eligible = {EmploymentType.CIVIL_SERVANT, EmploymentType.CIVIL_SERVANT_MANAGED}
    for window, (_department_id, members) in zip(windows, plan, strict=True):
        chief_index = next((i for i, (_, e) in enumerate(members) if e in eligible), None)
        for index, (staff_id, _employment) in enumerate(members):
            stationings.append(
                Stationing(
                    staff_id=staff_id,
                    window_id=window.id,
                    post=Post.CHIEF_REPRESENTATIVE if index == chief_index else Post.STAFF,
                    start_date=today - timedelta(days=rng.randrange(800, 2200)),
                )
            )
    Stationing.objects.bulk_create(stationings, batch_size=5000)
    log_bulk(
        actor=None,
        model=Window,
        action="seed_demo",
        count=len(windows),
        reason="seed_demo (assessments)",
    )
    log_bulk(
        actor=None,
        model=Stationing,
        action="seed_demo",
        count=len(stationings),
        reason="seed_demo (assessments)",
    )


def _weighted(rng: random.Random, mix: dict[str, int] | list[tuple[str, int]]):
    items = list(mix.items()) if isinstance(mix, dict) else mix
    return rng.choices([k for k, _ in items], [w for _, w in items])[0]


@transaction.atomic
def build(*, rng: random.Random, today: date) -> None:
    load_rules(AssessmentRule)
    _ensure_stationings(rng, today)
    rules = {r.code: r for r in AssessmentRule.objects.all()}
    current = date(today.year, today.month, 1)
    months = [_month_start(current, back) for back in range(MONTHS, -1, -1)]  # 24 closed + current
    periods = {
        m: period_get_or_create(kind=PeriodKind.MONTH, year=m.year, number=m.month) for m in months
    }

    stationings = list(
        Stationing.objects.values_list(
            "staff_id", "window_id", "post", "start_date", "end_date"
        ).order_by("id")
    )
    chief_of: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for staff_id, window_id, post, start, end in stationings:
        if post == Post.CHIEF_REPRESENTATIVE:
            chief_of[window_id].append((staff_id, start, end))
    persona = Staff.objects.filter(user__username="staff").values_list("id", flat=True).first()

    entries: list[Entry] = []
    shares: list[Entry] = []
    share_of: dict[int, int] = {}  # entry index → index of its chief's share
    appeal_plan: list[tuple[int, str]] = []  # (index into entries, outcome)
    for month in months:
        period = periods[month]
        is_current = month == current
        end = (
            today - timedelta(days=1)
            if is_current
            else (months[months.index(month) + 1] - timedelta(days=1))
        )
        if end < month:
            continue
        span = (end - month).days + 1
        for staff_id, window_id, _post, start, stop in stationings:
            if start > end or (stop is not None and stop < month):
                continue
            roll = rng.random()
            count = 0 if roll < 0.82 else (1 if roll < 0.96 else 2)
            if staff_id == persona and month >= _month_start(current, 2):
                count = max(count, 1)
            for _ in range(count):
                rule = rules[_weighted(rng, DEDUCTION_MIX)]
                day = month + timedelta(days=rng.randrange(span))
                quantity = (
                    Decimal(rng.choice([1, 1, 1, 2])) if rule.unit != "occurrence" else Decimal(1)
                )
                points = rule.points * quantity
                entry = Entry(
                    period=period,
                    staff_id=staff_id,
                    window_id=window_id,
                    rule=rule,
                    kind=RuleKind.DEDUCTION,
                    date=day,
                    quantity=quantity,
                    points=points,
                    original_points=points,
                    notes="日常巡查记录",
                    appeal_deadline=_deadline(day + timedelta(days=1), 5),
                )
                entry_index = len(entries)
                entries.append(entry)
                if rule.joint_liability:
                    chief = next(
                        (
                            c
                            for c, s, e in chief_of.get(window_id, [])
                            if s <= day and (e is None or e >= day)
                        ),
                        None,
                    )
                    if chief is not None and chief != staff_id:
                        share_of[entry_index] = len(shares)
                        shares.append(
                            Entry(
                                period=period,
                                staff_id=chief,
                                window_id=window_id,
                                rule=rule,
                                kind=RuleKind.DEDUCTION,
                                date=day,
                                quantity=quantity,
                                points=points / 2,
                                original_points=points / 2,
                                notes="连带责任",
                                joint_share=Decimal("0.5"),
                                appeal_deadline=entry.appeal_deadline,
                            )
                        )
                if staff_id == persona or rng.random() < 0.04:
                    if entry.appeal_deadline >= today and rng.random() < 0.7:
                        outcome = AppealStatus.SUBMITTED
                    else:
                        outcome = _weighted(rng, APPEAL_OUTCOMES)
                    appeal_plan.append((entry_index, outcome))
            if rng.random() < 0.06:
                rule = rules[_weighted(rng, BONUS_MIX)]
                day = month + timedelta(days=rng.randrange(span))
                entries.append(
                    Entry(
                        period=period,
                        staff_id=staff_id,
                        window_id=window_id,
                        rule=rule,
                        kind=RuleKind.BONUS,
                        date=day,
                        quantity=Decimal(1),
                        points=rule.points,
                        original_points=rule.points,
                        notes="群众表扬",
                        appeal_deadline=_deadline(day + timedelta(days=1), 5),
                    )
                )
    # Appeal outcomes change the entries before anything is scored.
    appeals_meta = []
    for index, outcome in appeal_plan:
        entry = entries[index]
        share = shares[share_of[index]] if index in share_of else None
        before = entry.points
        after = None
        if outcome == AppealStatus.REDUCED:
            after = (before / 2).quantize(Decimal("0.01"))
            entry.points = after
            if share is not None:
                share.points = (after / 2).quantize(Decimal("0.01"))
        elif outcome == AppealStatus.CANCELLED:
            after = Decimal(0)
            entry.status = EntryStatus.CANCELLED
            if share is not None:
                share.status = EntryStatus.CANCELLED
        elif outcome == AppealStatus.UPHELD:
            after = before
        appeals_meta.append((index, outcome, before, after))
    Entry.objects.bulk_create(entries, batch_size=5000)
    for index, share_index in share_of.items():
        shares[share_index].joint_parent_id = entries[index].pk
    Entry.objects.bulk_create(shares, batch_size=5000)
    appeals = []
    for index, outcome, before, after in appeals_meta:
        entry = entries[index]
        submitted = timezone.make_aware(
            datetime.combine(entry.date + timedelta(days=1), time(9, 30))
        )
        decided = (
            min(submitted + timedelta(days=rng.randrange(1, 6)), timezone.now())
            if outcome != AppealStatus.SUBMITTED
            else None
        )
        appeals.append(
            Appeal(
                entry_id=entry.pk,
                staff_id=entry.staff_id,
                status=outcome,
                reason=rng.choice(
                    [
                        "当天系统故障，非本人原因",
                        "已按规定请假，有审批单",
                        "群众误解，已沟通",
                        "扣分标准适用不当",
                    ]
                ),
                points_before=before,
                points_after=after if outcome != AppealStatus.WITHDRAWN else None,
                decided_at=decided,
                decision_note={
                    "upheld": "经核实，扣分事实清楚",
                    "reduced": "情节较轻，减半扣分",
                    "cancelled": "经核实属实，撤销扣分",
                    "withdrawn": "",
                    "submitted": "",
                }[outcome],
            )
        )
    Appeal.objects.bulk_create(appeals, batch_size=5000)
    for appeal, (index, *_rest) in zip(appeals, appeals_meta, strict=True):
        appeal.submitted_at = timezone.make_aware(
            datetime.combine(entries[index].date + timedelta(days=1), time(9, 30))
        )
    Appeal.objects.bulk_update(appeals, ["submitted_at"], batch_size=5000)

    # Scores: the center's own aggregate service, month by month, then the roll-ups.
    for month in months:
        score_recompute(actor=None, period=periods[month], reason="seed_demo")
    closed = [periods[m].pk for m in months if m != current]
    Period.objects.filter(pk__in=closed).update(
        status=PeriodStatus.CLOSED, closed_at=timezone.now()
    )
    rollups = []
    for year in sorted({m.year for m in months}):
        for quarter in range(1, 5):
            q_months = [date(year, 3 * (quarter - 1) + k, 1) for k in range(1, 4)]
            if all(m in periods and m != current for m in q_months):
                rollups.append(
                    period_get_or_create(kind=PeriodKind.QUARTER, year=year, number=quarter)
                )
        if all(date(year, k, 1) in periods and date(year, k, 1) != current for k in range(1, 13)):
            rollups.append(period_get_or_create(kind=PeriodKind.YEAR, year=year))
    for period in rollups:
        score_recompute(actor=None, period=period, reason="seed_demo")
        if period.kind == PeriodKind.YEAR:
            # Year-end reviews 82.0–99.9 and the departments' grades (the suggestion, one
            # "excellent" in five lowered), each one UPDATE: bulk_update of 100 000 rows was
            # minutes of CASE expressions. Deterministic per (person, year) like the rest.
            scores = Score.objects.filter(period=period)
            scores.update(
                review_score=ExpressionWrapper(
                    (820 + (F("staff_id") * 7919 + period.year * 104729) % 180) / 10.0,
                    output_field=DecimalField(max_digits=5, decimal_places=2),
                )
            )
            score_recompute(actor=None, period=period, reason="seed_demo: year-end review")
            scores.update(
                department_grade=Case(
                    When(
                        Exact(Mod("staff_id", 5), 0),
                        suggested_grade=Grade.EXCELLENT,
                        then=Value(Grade.COMPETENT),
                    ),
                    default=F("suggested_grade"),
                )
            )
        Period.objects.filter(pk=period.pk).update(
            status=PeriodStatus.CLOSED, closed_at=timezone.now()
        )

    _ratings(rng, today, months, current, stationings)
    _awards(rng, months, current, periods)
    log_bulk(
        actor=None,
        model=Entry,
        action="seed_demo",
        count=len(entries) + len(shares),
        reason="seed_demo",
    )
    log_bulk(actor=None, model=Appeal, action="seed_demo", count=len(appeals), reason="seed_demo")


def _ratings(
    rng: random.Random, today: date, months: list[date], current: date, stationings
) -> None:
    recent = months[-12:]
    people = len(stationings) or 1
    per_person_month = min(2.0, RATING_BUDGET / (people * len(recent)))
    items = dict(Window.service_items.through.objects.values_list("window_id", "serviceitem_id"))
    department_of = dict(Window.objects.values_list("id", "department_id"))
    ratings: list[Rating] = []
    sequence = 0
    from assessments.models import RatingMonth
    from assessments.services.rating_months import rebuild

    for month in recent:
        last = today - timedelta(days=1) if month == current else _next(month) - timedelta(days=1)
        if last < month:
            continue
        span = (last - month).days + 1
        for staff_id, window_id, _post, start, stop in stationings:
            if start > last or (stop is not None and stop < month):
                continue
            count = int(per_person_month) + (1 if rng.random() < per_person_month % 1 else 0)
            for _ in range(count):
                sequence += 1
                level = _weighted(rng, LEVELS)
                day = month + timedelta(days=rng.randrange(span))
                # the four channels of issue #4, drawn before the time: the demo stays the same
                channel = rng.choice(
                    (
                        RatingChannel.ONSITE,
                        RatingChannel.ONLINE,
                        RatingChannel.MOBILE,
                        RatingChannel.HOTLINE,
                    )
                )
                served = timezone.make_aware(
                    datetime.combine(day, time(9 + rng.randrange(8), rng.randrange(60)))
                )
                ratings.append(
                    Rating(
                        event_ref=f"SX{day:%Y%m%d}{sequence:08d}",
                        window_id=window_id,
                        department_id=department_of[window_id],
                        staff_id=staff_id,
                        service_item_id=items.get(window_id),
                        level=level,
                        channel=channel,
                        served_at=served,
                        received_at=served + timedelta(minutes=2),
                        comment=rng.choice(COMMENTS_BAD if level in ("1", "2") else COMMENTS_GOOD),
                        rater_name=rng.choice("王李张刘陈杨") + "某",
                        rater_phone=f"139{rng.randrange(10**8):08d}",
                    )
                )
    Rating.objects.bulk_create(ratings, batch_size=5000)
    bad = list(
        Rating.objects.filter(level__in=("1", "2")).values_list(
            "id", "window_id", "department_id", "staff_id", "served_at"
        )
    )
    cases, logs_plan = [], []
    now = timezone.now()
    for rating_id, window_id, department_id, staff_id, served_at in bad:
        opened = timezone.localtime(served_at).date()
        deadline = _deadline(opened, 15)
        age = (today - opened).days
        roll = rng.random()
        if age > 40:
            status = (
                RectificationStatus.DONE
                if roll < 0.82
                else RectificationStatus.INVALID
                if roll < 0.9
                else RectificationStatus.CANNOT_FIX
                if roll < 0.95
                else RectificationStatus.RECTIFYING
            )
        else:
            status = (
                RectificationStatus.PENDING
                if roll < 0.3
                else RectificationStatus.VALID
                if roll < 0.5
                else RectificationStatus.RECTIFYING
                if roll < 0.8
                else RectificationStatus.DONE
            )
        replied = status in (
            RectificationStatus.RECTIFYING,
            RectificationStatus.DONE,
            RectificationStatus.CANNOT_FIX,
        )
        cases.append(
            Rectification(
                rating_id=rating_id,
                window_id=window_id,
                department_id=department_id,
                staff_id=staff_id,
                status=status,
                opened_on=opened,
                deadline=deadline,
                appeal_reason="评价人误操作" if status == RectificationStatus.INVALID else "",
                reply=rng.choice(REPLIES) if replied else "",
                replied_at=served_at + timedelta(days=2) if replied else None,
                satisfaction_after=_weighted(rng, [("5", 30), ("4", 40), ("3", 20), ("2", 10)])
                if status == RectificationStatus.DONE
                else "",
                closed_at=now
                if status
                in (
                    RectificationStatus.DONE,
                    RectificationStatus.INVALID,
                    RectificationStatus.CANNOT_FIX,
                )
                else None,
            )
        )
        logs_plan.append(status)
    Rectification.objects.bulk_create(cases, batch_size=5000)
    path = {
        RectificationStatus.PENDING: ["pending"],
        RectificationStatus.VALID: ["pending", "valid"],
        RectificationStatus.INVALID: ["pending", "pending", "invalid"],
        RectificationStatus.RECTIFYING: ["pending", "valid", "rectifying"],
        RectificationStatus.DONE: ["pending", "valid", "rectifying", "done"],
        RectificationStatus.CANNOT_FIX: ["pending", "valid", "rectifying", "cannot_fix"],
    }
    ids = dict(Rectification.objects.values_list("rating_id", "id"))
    logs = []
    for case in cases:
        previous = ""
        for state in path[case.status]:
            logs.append(
                RectificationLog(
                    case_id=ids[case.rating_id],
                    from_status=previous,
                    to_status=state,
                    note="seed_demo",
                )
            )
            previous = state
    RectificationLog.objects.bulk_create(logs, batch_size=5000)
    rebuild(Rating, RatingMonth)  # the monthly rows behind the rates page (issue #18)
    log_bulk(actor=None, model=Rating, action="seed_demo", count=len(ratings), reason="seed_demo")
    log_bulk(
        actor=None, model=Rectification, action="seed_demo", count=len(cases), reason="seed_demo"
    )


def _next(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _awards(
    rng: random.Random, months: list[date], current: date, periods: dict[date, Period]
) -> None:
    window_ids = list(Window.objects.values_list("id", flat=True))
    inputs = []
    for month in months:
        if month == current:
            continue
        for window_id in window_ids:
            inputs.append(
                WindowAssessment(
                    period=periods[month],
                    window_id=window_id,
                    efficiency=Decimal(rng.randrange(700, 1000)) / 10,
                    duty_votes=rng.randrange(0, 40),
                    public_votes=rng.randrange(0, 300),
                )
            )
    WindowAssessment.objects.bulk_create(inputs, batch_size=5000)
    for month in months:
        if month == current:
            continue
        for kind in (AwardKind.SERVICE_STAR, AwardKind.RED_FLAG):
            awards_select(actor=None, period=periods[month], kind=kind)
