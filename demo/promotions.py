"""The promotion workflow in the demo center, made through the services (so each step has its
audit entry, its frozen evidence and its notifications): recommendations in every state,
performance-reference requests open, answered and overdue, reserve cadres with rotation plans.

Reads what the lower apps seeded (people, stationings, annual grades) and picks people in a
deterministic order. Overdue requests are back-dated after creation (a request cannot be raised
with a past due date), the one write outside the services, logged as a bulk write.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db.models import Q

from assessments.models import Grade, PeriodKind, Score
from core.audit import log_bulk
from promotions import eligibility, services
from promotions.models import ReferenceRequest
from staff.models import CenterRole, Role, Staff, StaffStatus, User
from windows.models import Stationing, Window

RATIONALES = (
    "该同志派驻窗口以来工作认真负责，业务熟练，群众满意度高，连续获评服务之星。",
    "该同志担任窗口骨干期间主动承担急难任务，推动事项办理提速，所在窗口获评红旗窗口。",
    "该同志政治立场坚定，作风扎实，能够带头落实首问负责和一次性告知制度。",
    "该同志熟悉网上协同审批系统，带教新进人员成效明显，建议在职级晋升中优先考虑。",
)
PURPOSES = ("拟提拔为副科长人选考察", "职级晋升考察", "拟任窗口首席代表考察", "评优评先征求意见")
APPRAISALS = (
    "该同志在窗口工作期间政治素质好，业务能力强，服务态度热情，遵守中心各项管理制度，"
    "月度考核成绩位居前列，未发生有效投诉。",
    "该同志工作踏实，能较好完成窗口各项任务，群众评价良好；建议进一步加强政策学习。",
)
KINDS = ("leadership", "mid_level", "title", "reserve", "commendation")


def _people(today: date) -> list[Staff]:
    """Window staff in service and stationed now, best latest annual grade first."""
    latest_year = (
        Score.objects.filter(period__kind=PeriodKind.YEAR)
        .order_by("-period__year")
        .values_list("period__year", flat=True)
        .first()
    )
    excellent: set[int] = set()
    if latest_year is not None:
        excellent = set(
            Score.objects.filter(period__kind=PeriodKind.YEAR, period__year=latest_year)
            .filter(
                Q(department_grade=Grade.EXCELLENT)
                | Q(department_grade="", suggested_grade=Grade.EXCELLENT)
            )
            .values_list("staff_id", flat=True)
        )
    stationed = set(
        Stationing.objects.filter(end_date__isnull=True).values_list("staff_id", flat=True)
    )
    # everyone has an account (demo.staff); the window-staff persona's own record stays plain
    people = list(
        Staff.objects.select_related("department")
        .filter(status=StaffStatus.ACTIVE, center_role=CenterRole.WINDOW, pk__in=stationed)
        .exclude(user__username="staff")
        .order_by("staff_number")
    )
    flags = eligibility.flags_for_many([p.pk for p in people], today)
    people = [p for p in people if not flags[p.pk].barred]
    return sorted(people, key=lambda p: (p.pk not in excellent, p.staff_number))


def pick(today: date) -> tuple[list[Staff], list[Staff], list[Staff]] | None:
    """Who is recommended (7), asked about (5) and marked a reserve cadre (4): a function of the
    seeded data only, so the demo is deterministic. None when the center is too small."""
    people = _people(today)
    if len(people) < 16:
        return None
    # the liaison's department gets at least one submitted recommendation
    own = next((p for p in people if p.department.code == "SCJG"), None)
    if own is not None:
        people.remove(own)
        people.insert(2, own)
    return people[:7], people[7:12], people[12:16]


def build(*, rng: random.Random, today: date) -> None:
    """``rng`` is not drawn from, so the apps seeded after this one see the same sequence."""
    admin = User.objects.filter(username="admin").first()
    hr = User.objects.filter(username="hr", role=Role.HR).first()
    if admin is None or hr is None:
        return
    picked = pick(today)
    if picked is None:
        return
    recommended, asked, reserve = picked

    def draft(person, index):
        return services.recommendation_create(
            actor=admin,
            staff=person,
            kind=KINDS[index % len(KINDS)],
            addressed_to=("both", "organization", "home")[index % 3],
            rationale=RATIONALES[index % len(RATIONALES)],
        )

    # recommendations: 2 drafts, 2 submitted, 2 adopted (one recorded by the center), 1 declined
    plan = ["draft", "draft", "submitted", "submitted", "adopted", "adopted_center", "declined"]
    for index, (person, state) in enumerate(zip(recommended, plan, strict=True)):
        rec = draft(person, index)
        if state == "draft":
            continue
        rec = services.recommendation_submit(actor=admin, recommendation=rec)
        if state == "adopted":
            services.recommendation_decide(
                actor=hr, recommendation=rec, adopted=True, feedback="已列入考察对象。"
            )
        elif state == "adopted_center" and rec.addressed_to == "home":
            # addressed to the home department alone: its answer, recorded by the center on the
            # department's behalf, with the post that followed (issue #16)
            services.recommendation_home_answer(
                actor=admin,
                recommendation=rec,
                accepted=True,
                reason="单位党组会议研究同意。",
                post="综合科副科长",
                post_from=today - timedelta(days=20),
            )
        elif state == "adopted_center":
            services.recommendation_decide(
                actor=admin, recommendation=rec, adopted=True, feedback="组织部电话告知已采纳。"
            )
        elif state == "declined":
            services.recommendation_decide(
                actor=hr,
                recommendation=rec,
                adopted=False,
                feedback="本年度职数已满，明年优先考虑。",
            )

    # reference requests: 2 open (one due within the notice days), 1 overdue, 2 answered
    backdated = []
    for index, person in enumerate(asked):
        due_in = (2, 8, 5, 6, 9)[index]
        ref = services.reference_request_create(
            actor=hr,
            staff=person,
            purpose=PURPOSES[index % len(PURPOSES)],
            message="请中心提供该同志派驻期间的工作表现和评价意见。",
            due_date=today + timedelta(days=due_in),
        )
        if index == 2:
            backdated.append(ref.pk)
        elif index >= 3:
            services.reference_request_answer(
                actor=admin, request=ref, appraisal=APPRAISALS[index % len(APPRAISALS)]
            )
    if backdated:
        ReferenceRequest.objects.filter(pk__in=backdated).update(due_date=today - timedelta(days=3))
        log_bulk(
            actor=admin,
            model=ReferenceRequest,
            action="backdate",
            count=len(backdated),
            reason="seed_demo: an overdue request",
        )

    # reserve cadres: four marked, three with rotation plans (at the window, not started, none)
    starts = dict(
        Stationing.objects.filter(staff__in=reserve, end_date__isnull=True).values_list(
            "staff_id", "start_date"
        )
    )
    windows = dict(
        Stationing.objects.filter(staff__in=reserve, end_date__isnull=True).values_list(
            "staff_id", "window_id"
        )
    )
    for index, person in enumerate(reserve):
        services.reserve_mark(actor=admin, staff=person, reserve=True, reason="党组会研究确定")
        if index == 0 and person.pk in starts:
            services.rotation_plan_create(
                actor=admin,
                staff=person,
                planned_start=starts[person.pk],
                window=Window.objects.get(pk=windows[person.pk]),
                notes="到窗口一线锻炼",
            )
        elif index == 1:
            services.rotation_plan_create(
                actor=admin,
                staff=person,
                planned_start=today + timedelta(days=45),
                notes="计划明年初到综合受理窗口锻炼",
            )
        elif index == 2 and person.pk in starts:
            services.rotation_plan_create(
                actor=admin,
                staff=person,
                planned_start=starts[person.pk],
                minimum_months=6,
            )
