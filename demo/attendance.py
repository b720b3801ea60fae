"""Demo attendance: four weeks of punches for everyone stationed (mostly on time; some late, a
few leaving early, a forgotten punch now and then, the odd absence), leave asked, named with a
stand-in and decided through the services (the chief, then the center), people stepping out
today (one overdue), make-up punches waiting, the days derived from all of it, and last month's
deduction proposals waiting for the center's one-step confirmation.

Punches are what a terminal would send, so they are written in bulk, as an import would; every
decision (leave, make-up) goes through its service, so the audit trail is real."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from attendance.conf import conf
from attendance.models import LeaveCategory, LeaveStatus, Punch, PunchMethod
from attendance.services import days as day_services
from attendance.services import leave as leave_services
from attendance.services import makeups as makeup_services
from attendance.services import month as month_services
from attendance.services import step_outs as step_out_services
from attendance.worktime import Calendar
from staff.models import Role, Staff, StaffStatus, User
from windows.models import Stationing

SOURCE = "demo-terminal"
#: Shares of the people's working days (the rest: four punches on time).
LATE, EARLY, FORGOT, ABSENT = 0.02, 0.01, 0.015, 0.004
LEAVES = 14
STEP_OUTS = 5
MAKEUPS = 4


def _at(day: date, clock: time, minutes: int) -> datetime:
    moment = datetime.combine(day, clock) + timedelta(minutes=minutes)
    return timezone.make_aware(moment, timezone.get_default_timezone())


def _punches(rng: random.Random, people: dict[int, int], calendar: Calendar) -> list[Punch]:
    rows = []
    for day in calendar.days():
        for staff_id, window_id in people.items():
            plan = calendar.plan(day, window_id)
            if plan is None or rng.random() < ABSENT:
                continue
            forgotten = rng.randrange(len(plan.checks)) if rng.random() < FORGOT else None
            for index, check in enumerate(plan.checks):
                if index == forgotten:
                    continue
                if check.kind == "in":
                    late = rng.random() < LATE
                    offset = rng.randint(check.grace + 1, 40) if late else rng.randint(-25, 3)
                else:
                    early = rng.random() < EARLY
                    offset = rng.randint(-50, -5) if early else rng.randint(0, 25)
                at = _at(day, check.at, offset)
                rows.append(
                    Punch(
                        staff_id=staff_id,
                        at=at,
                        device=f"HALL-{window_id % 6 + 1}",
                        method=rng.choice([PunchMethod.choices[0][0], PunchMethod.choices[1][0]]),
                        source=SOURCE,
                        record_id=f"{staff_id}-{at:%Y%m%d%H%M%S}",
                    )
                )
    return rows


def _colleague(person: Staff, window_id: int, at_window: dict[int, list[int]]) -> Staff | None:
    others = [pk for pk in at_window[window_id] if pk != person.pk]
    return Staff.objects.get(pk=others[0]) if others else None


def _leaves(rng, admin, people, at_window, working: list[date]) -> int:
    chosen = rng.sample(sorted(people), min(LEAVES, len(people)))
    made = 0
    for staff_id in chosen:
        person = Staff.objects.select_related("user").get(pk=staff_id)
        stand_in = _colleague(person, people[staff_id], at_window)
        if stand_in is None:
            continue
        start = rng.choice(working[:-2])
        length = rng.choice([0, 0, 0, 1])  # mostly a day, sometimes two (the department consents)
        end = working[min(working.index(start) + length, len(working) - 1)]
        actor = person.user if person.user_id else admin
        leave = leave_services.leave_request(
            actor=actor,
            staff=person,
            category=rng.choice([LeaveCategory.PERSONAL, LeaveCategory.SICK, LeaveCategory.ANNUAL]),
            start_date=start,
            end_date=end,
            reason=rng.choice(["家中有事", "身体不适，就医", "年休假", "子女入学办理手续"]),
            stand_in=stand_in,
        )
        made += 1
        if rng.random() < 0.2:  # still waiting for the chief
            continue
        chiefs = leave_services.chief_users([leave.staff_id])
        for _step in range(3):
            leave.refresh_from_db()
            if leave.status != LeaveStatus.PENDING or leave.next_step is None:
                break
            deciders = [User.objects.get(pk=chiefs[staff_id])] if chiefs.get(staff_id) else []
            deciders += [admin]
            deciders += list(
                User.objects.filter(role=Role.LIAISON, departments=person.department_id)
            )
            decider = next(
                (u for u in deciders if leave_services.may_decide(u, leave, leave.next_step)),
                None,
            )
            if decider is None:  # no liaison in this department: the consent stays open
                break
            leave_services.leave_decide(actor=decider, leave=leave, approve=True, note="同意")
    return made


def build(*, rng: random.Random, today: date) -> dict[str, int]:
    admin = User.objects.filter(role=Role.CENTER_ADMIN).order_by("pk").first()
    start, end = today - timedelta(days=28), today - timedelta(days=1)
    open_stationings = Stationing.objects.filter(
        end_date__isnull=True, start_date__lte=start, staff__status=StaffStatus.ACTIVE
    ).values_list("staff_id", "window_id")
    people = dict(open_stationings)
    at_window: dict[int, list[int]] = {}
    for staff_id, window_id in people.items():
        at_window.setdefault(window_id, []).append(staff_id)
    calendar = Calendar(start, end)
    Punch.objects.bulk_create(_punches(rng, people, calendar), batch_size=5000)
    working = [day for day in calendar.days() if calendar.plan(day, None) is not None]
    leaves = _leaves(rng, admin, people, at_window, working) if working else 0
    day_services.days_derive(start=start, end=end)
    # today: some people stepped out, one of them long ago (overdue on the board)
    now = timezone.now()
    # (one person of a window with colleagues: stepping out never leaves a window empty)
    shared = sorted(rng.choice(sorted(ids)) for ids in at_window.values() if len(ids) > 1)
    stepped = rng.sample(shared, min(STEP_OUTS, len(shared)))
    for index, staff_id in enumerate(stepped):
        try:
            step_out_services.step_out_register(
                actor=admin,
                staff=Staff.objects.get(pk=staff_id),
                reason=rng.choice(["到后台调取档案", "送材料到审批科室", "接待群众现场勘验"]),
                destination=rng.choice(["后台档案室", "三楼审批科", "现场"]),
                at=now - timedelta(minutes=55 if index == 0 else rng.randint(3, 20)),
            )
        except ValidationError:  # their stand-in is out already: they stay at the window
            continue
    # forgotten punches of the last days, asked to be made up
    recent = [d for d in working if (today - d).days <= conf("MAKEUP_CUTOFF_DAYS")]
    for staff_id in rng.sample(sorted(people), min(MAKEUPS, len(people))) if recent else []:
        person = Staff.objects.select_related("user").get(pk=staff_id)
        day = recent[-1]
        makeup_services.makeup_request(
            actor=person.user or admin,
            staff=person,
            at=_at(day, time(9, 0), -3),
            reason="指纹机未识别，已向值班长说明",
        )
    # last month's attendance deductions, proposed for the center to confirm in one step
    last_month = today.replace(day=1) - timedelta(days=1)
    proposals = month_services.deductions_propose(actor=admin, month=last_month)
    return {"leaves": leaves, "proposals": sum(proposals.values())}
