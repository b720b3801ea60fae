"""A year of joint management for the demo center: visits, talks, follow-ups and a few open talk
requests. Reads what the lower apps created (departments, people, liaisons, windows and
stationings when the windows demo has run) and writes in bulk, one audit entry per bulk write."""

from __future__ import annotations

import random
from datetime import date, timedelta

from core.audit import log_bulk
from joint.models import (
    Confidentiality,
    FollowUp,
    FollowUpState,
    Talk,
    TalkerKind,
    TalkKind,
    TalkRequest,
    Visit,
)
from staff.models import CenterRole, Department, Role, Staff, StaffStatus, User
from windows.models import Stationing, Window

TOPICS = (
    "近期工作情况和业务量",
    "窗口排班与调休安排",
    "业务培训需求",
    "家庭困难和通勤问题",
    "个人职业发展和岗位期望",
    "对中心管理制度的意见",
    "群众评价和服务态度",
    "近期扣分情况的思想疏导",
)
CONCERNS = (
    "家离中心较远，早班通勤困难",
    "希望参加业务骨干培训",
    "担心长期在窗口影响晋升",
    "孩子上学接送时间冲突",
    "对扣分结果有想法",
    "系统操作不熟练，希望有人带教",
    "无",
)
FOLLOW_UPS = (
    ("协调中心调整排班", "派驻单位联络员"),
    ("报名参加下期业务培训", "中心综合科"),
    ("在年度考核中体现窗口工作表现", "派驻单位人事科"),
    ("帮助解决子女入学问题", "派驻单位办公室"),
    ("安排业务骨干一对一带教", "窗口首席代表"),
)
LEADERS = ("局长", "副局长", "党组成员", "政治部主任", "办公室主任", "人事科科长")
KINDS = [
    (TalkKind.ROUTINE, 70),
    (TalkKind.AFTER_DEDUCTION, 8),
    (TalkKind.AFTER_APPEAL, 3),
    (TalkKind.BEFORE_TRANSFER, 4),
    (TalkKind.AFTER_TRANSFER, 5),
    (TalkKind.ON_REQUEST, 10),
]


def build(*, rng: random.Random, today: date) -> None:
    """Deterministic for a given ``rng`` state and the data already in the database."""
    year_ago = today - timedelta(days=365)
    admin = User.objects.filter(is_superuser=True).order_by("id").first()
    departments = list(
        Department.objects.filter(active=True).order_by("id").values_list("id", flat=True)
    )
    authors: dict[int, int] = {}
    for user_id, department_id in (
        User.objects.filter(role=Role.LIAISON, is_active=True)
        .values_list("id", "departments")
        .order_by("id")
    ):
        if department_id is not None:
            authors.setdefault(department_id, user_id)
    fallback = admin.pk if admin else None
    if fallback is None:
        return
    windows: dict[int, list[int]] = {}
    for window_id, department_id in Window.objects.order_by("id").values_list(
        "id", "department_id"
    ):
        windows.setdefault(department_id, []).append(window_id)

    visits = []
    for department_id in departments:
        for _ in range(rng.choice((0, 1, 2, 3, 4, 6))):
            visits.append(
                Visit(
                    department_id=department_id,
                    date=year_ago + timedelta(days=rng.randrange(1, 366)),
                    visitors=f"{rng.choice(LEADERS)}、联络员",
                    summary="走访窗口，看望派驻人员，听取意见建议。",
                    created_by_id=authors.get(department_id, fallback),
                )
            )
    visits = Visit.objects.bulk_create(visits, batch_size=5000)
    through = Visit.windows.through
    links = []
    for visit in visits:
        own = windows.get(visit.department_id, [])
        for window_id in rng.sample(own, min(len(own), rng.randint(1, 3))) if own else ():
            links.append(through(visit_id=visit.pk, window_id=window_id))
    through.objects.bulk_create(links, batch_size=5000)

    started = dict(
        Stationing.objects.filter(end_date__isnull=True).values_list("staff_id", "start_date")
    )
    people = list(
        Staff.objects.filter(center_role=CenterRole.WINDOW)
        .exclude(status=StaffStatus.LEFT)
        .order_by("id")
        .values_list("id", "department_id")
    )
    kinds, weights = zip(*KINDS, strict=True)
    talks = []
    for staff_id, department_id in people:
        roll = rng.random()
        count = 0 if roll < 0.2 else (1 if roll < 0.8 else 2)
        earliest = max(year_ago, started.get(staff_id, year_ago))
        span = (today - earliest).days
        for _ in range(count if span > 0 else 0):
            talker = rng.choices(TalkerKind.values, (35, 50, 15))[0]
            talks.append(
                Talk(
                    staff_id=staff_id,
                    date=earliest + timedelta(days=rng.randrange(1, span + 1)),
                    talker_kind=talker,
                    talker_names=rng.choice(LEADERS)
                    if talker != TalkerKind.CENTER
                    else "中心综合科",
                    kind=rng.choices(kinds, weights)[0],
                    topics=rng.choice(TOPICS),
                    concerns=rng.choice(CONCERNS),
                    notes="谈话中情绪稳定，表示将继续做好窗口服务工作。",
                    level=(
                        Confidentiality.PRIVATE if rng.random() < 0.08 else Confidentiality.STANDARD
                    ),
                    author_id=fallback
                    if talker == TalkerKind.CENTER
                    else authors.get(department_id, fallback),
                )
            )
    talks = Talk.objects.bulk_create(talks, batch_size=5000)

    follow_ups = []
    for talk in talks:
        if rng.random() > 0.3:
            continue
        description, owner = rng.choice(FOLLOW_UPS)
        due = talk.date + timedelta(days=rng.randrange(14, 61))
        state, resolved_on = FollowUpState.OPEN, None
        roll = rng.random()
        if due < today - timedelta(days=30):
            if roll < 0.8:
                state = FollowUpState.RESOLVED
            elif roll < 0.9:
                state = FollowUpState.IN_PROGRESS
        elif roll < 0.4:
            state = FollowUpState.IN_PROGRESS
        if state == FollowUpState.RESOLVED:
            resolved_on = min(today, talk.date + timedelta(days=rng.randrange(3, 45)))
        follow_ups.append(
            FollowUp(
                talk_id=talk.pk,
                description=description,
                owner=owner,
                due_date=due,
                state=state,
                resolution="已落实" if resolved_on else "",
                resolved_on=resolved_on,
            )
        )
    FollowUp.objects.bulk_create(follow_ups, batch_size=5000)

    requesters = rng.sample(people, max(1, len(people) // 200)) if people else []
    requests = [
        TalkRequest(staff_id=staff_id, message="想和单位领导谈谈近期工作。")
        for staff_id, _ in requesters
    ]
    TalkRequest.objects.bulk_create(requests, batch_size=5000)

    for model, rows in (
        (Visit, visits),
        (Talk, talks),
        (FollowUp, follow_ups),
        (TalkRequest, requests),
    ):
        log_bulk(actor=admin, model=model, action="seed_demo", count=len(rows), reason="seed_demo")
