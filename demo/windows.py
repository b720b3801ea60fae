"""Demo windows for the demo center: windows with service items for every department that
seconds window staff, two years and more of stationing history (with early transfers), chief
representatives (a few ineligible ones, as in the source article: retired-and-rehired or
second-line) and open transfer requests in several states.

Bulk writes for the tables that scale with ``--staff``; the handful of transfer requests go
through the workflow services so their audit trail is real.

Long because: a generator read top to bottom — windows and items, stationing history, chiefs and
their letters, open requests, each step feeding the next; only ``seed_demo`` imports it.
"""

from __future__ import annotations

import logging
import random
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import log_bulk
from staff.models import (
    CenterRole,
    Certificate,
    Department,
    EmploymentType,
    Role,
    Staff,
    StaffStatus,
    User,
)
from windows import rules, services
from windows.models import (
    AuthorizedItem,
    ChiefAppointment,
    EndReason,
    Post,
    ServiceItem,
    StandIn,
    Stationing,
    TransferKind,
    VettingDecision,
    Window,
)

logger = logging.getLogger(__name__)

ITEM_KINDS = [
    ("许可", True),
    ("变更登记", True),
    ("备案", False),
    ("证明开具", False),
    ("延续审批", True),
    ("注销登记", False),
    ("咨询服务", False),
    ("年度检验", True),
]
HALL_AREAS = ["A区", "B区", "C区", "D区"]
PEOPLE_PER_WINDOW = 4
UNSTATIONED_SHARE = 0.08


def build(*, rng: random.Random, today: date, windows: int | None = None) -> None:
    """Add windows, stationings, appointments and transfer requests to the staff demo.

    ``windows`` is how many windows in all (shared among the departments by their number of
    window staff, at least one each); by default one for every four people."""
    people = list(
        Staff.objects.filter(center_role=CenterRole.WINDOW)
        .exclude(status=StaffStatus.LEFT)
        .order_by("id")
        .only("id", "department_id", "employment_type", "status", "name")
    )
    by_department: dict[int, list[Staff]] = {}
    for person in people:
        by_department.setdefault(person.department_id, []).append(person)
    departments = {
        d.pk: d for d in Department.objects.filter(pk__in=by_department).order_by("code")
    }

    counts = window_counts({pk: len(by_department[pk]) for pk in departments}, windows)
    items, windows = _windows(rng, departments, by_department, counts)
    certified = set(
        Certificate.objects.filter(issued_on__lte=today, expires_on__gte=today).values_list(
            "staff_id", flat=True
        )
    )
    stationings, _early = _stationings(rng, today, windows, by_department, certified)
    appointments = _appointments(rng, today, windows)
    log_bulk(actor=None, model=ServiceItem, action="seed_demo", count=items, reason="seed_demo")
    log_bulk(actor=None, model=Window, action="seed_demo", count=len(windows), reason="seed_demo")
    log_bulk(
        actor=None,
        model=Stationing,
        action="seed_demo",
        count=stationings,
        reason="seed_demo",  # a code the audit trail shows in words (core.history)
    )
    log_bulk(
        actor=None,
        model=ChiefAppointment,
        action="seed_demo",
        count=appointments,
        reason="seed_demo",
    )
    _requests(rng, today)


def window_counts(people: dict[int, int], total: int | None) -> dict[int, int]:
    """Windows per department: one per four people by default, else ``total`` shared by the
    largest remainder in proportion to the people (at least one a department)."""
    if total is None:
        return {pk: max(1, round(n / PEOPLE_PER_WINDOW)) for pk, n in people.items()}
    total = max(total, len(people))
    spare = total - len(people)  # one each first, the rest by share
    everyone = sum(people.values()) or 1
    shares = {pk: spare * n / everyone for pk, n in people.items()}
    counts = {pk: 1 + int(share) for pk, share in shares.items()}
    left = total - sum(counts.values())
    for pk in sorted(shares, key=lambda pk: (int(shares[pk]) - shares[pk], pk))[:left]:
        counts[pk] += 1
    return counts


def _windows(rng, departments, by_department, counts) -> tuple[int, list[Window]]:
    service_items: list[ServiceItem] = []
    windows: list[Window] = []
    for dept in departments.values():
        count = counts[dept.pk]
        quota = max(PEOPLE_PER_WINDOW, -(-len(by_department[dept.pk]) // count))
        short = dept.short_name or dept.name
        for n in range(count):
            windows.append(
                Window(
                    code=f"{dept.code}-{n + 1:02d}",
                    name=f"{short}{'综合' if n == 0 else ''}窗口{n + 1}",
                    hall_area=HALL_AREAS[len(windows) % len(HALL_AREAS)],
                    floor=1 + (len(windows) // 40) % 3,
                    department=dept,
                    headcount_quota=quota,
                )
            )
        for k, (suffix, licensing) in enumerate(ITEM_KINDS[: 2 + count % 5 + 2]):
            service_items.append(
                ServiceItem(
                    code=f"{dept.code}-SX{k + 1:03d}",
                    name=f"{short}{suffix}",
                    department=dept,
                    is_licensing=licensing,
                    promised_working_days=(5, 10, 15, None)[k % 4],  # issue #18
                )
            )
    ServiceItem.objects.bulk_create(service_items, batch_size=2000)
    Window.objects.bulk_create(windows, batch_size=2000)
    items_by_dept: dict[int, list[int]] = {}
    for item_id, dept_id in ServiceItem.objects.values_list("id", "department_id"):
        items_by_dept.setdefault(dept_id, []).append(item_id)
    windows = list(Window.objects.order_by("id"))
    links = []
    through = Window.service_items.through
    for window in windows:
        pool = items_by_dept[window.department_id]
        for item_id in rng.sample(pool, min(len(pool), rng.randint(2, 4))):
            links.append(through(window_id=window.id, serviceitem_id=item_id))
    through.objects.bulk_create(links, batch_size=5000)
    return len(service_items), windows


LIMITED_POSTS = (Post.INTAKE, Post.CONSULTING, Post.AUXILIARY)


def _post_for(person) -> str:
    """The post a demo transfer gives ``person``: window staff, or a limited post for people
    who are not chief-eligible (temporary hires, contract staff, the retired and rehired)."""
    if person.employment_type in rules.center("CHIEF_ELIGIBLE_EMPLOYMENT_TYPES"):
        return Post.STAFF
    return Post.AUXILIARY


def _stationings(rng, today, windows, by_department, certified) -> tuple[int, int]:
    windows_by_dept: dict[int, list[Window]] = {}
    for window in windows:
        windows_by_dept.setdefault(window.department_id, []).append(window)
    rows: list[Stationing] = []
    early = 0
    for dept_id, people in by_department.items():
        dept_windows = windows_by_dept[dept_id]
        people = list(people)
        rng.shuffle(people)
        # the article's problem cases first, so they land at the head of a window as chiefs
        people.sort(
            key=lambda p: (
                p.employment_type != EmploymentType.RETIRED_REHIRED
                and p.status != StaffStatus.SECOND_LINE,
                p.id not in certified,
            )
        )
        keep_free = max(int(len(people) * UNSTATIONED_SHARE), min(5, len(people) // 5))
        # candidates for new stationings: permanent staff not yet at a window
        spare = [
            p.id
            for p in reversed(people)
            if p.employment_type != EmploymentType.TEMPORARY and p.status == StaffStatus.ACTIVE
        ][:keep_free]
        stationed = [p for p in people if p.id not in set(spare)] if len(people) > 3 else people
        chief_of: dict[int, bool] = {}
        for i, person in enumerate(stationed):
            window = dept_windows[i % len(dept_windows)]
            start = today - timedelta(days=rng.randrange(20, 6 * 365))
            # mostly certified civil servants; now and then one whose certificate lapsed
            eligible_type = person.employment_type in (
                EmploymentType.CIVIL_SERVANT,
                EmploymentType.CIVIL_SERVANT_MANAGED,
            ) and (person.id in certified or rng.random() < 0.04)
            problem = (
                person.employment_type == EmploymentType.RETIRED_REHIRED
                or person.status == StaffStatus.SECOND_LINE
            )
            if window.id not in chief_of and (eligible_type or problem):
                post = Post.CHIEF_REPRESENTATIVE
                chief_of[window.id] = True
            elif person.employment_type not in rules.center("CHIEF_ELIGIBLE_EMPLOYMENT_TYPES"):
                post = LIMITED_POSTS[i % len(LIMITED_POSTS)]  # intake, consulting, auxiliary
            elif i % 9 == 8:
                post = Post.BACKUP
            else:
                post = Post.STAFF
            rows.append(Stationing(staff=person, window=window, post=post, start_date=start))
            if start > today - timedelta(days=3 * 365) and rng.random() < 0.35:
                previous_window = rng.choice(dept_windows)
                length = rng.randrange(180, 4 * 365)
                previous_start = start - timedelta(days=length)
                is_early = rules.is_early(previous_start, start)
                early += is_early
                rows.append(
                    Stationing(
                        staff=person,
                        window=previous_window,
                        post=Post.STAFF,
                        start_date=previous_start,
                        end_date=start,
                        end_reason=EndReason.ROTATION
                        if previous_window.id != window.id
                        else EndReason.TRANSFER,
                        is_early_end=is_early,
                    )
                )
    Stationing.objects.bulk_create(rows, batch_size=5000)
    return len(rows), early


def _appointments(rng, today, windows) -> int:
    chiefs = list(
        Stationing.objects.open()
        .filter(post=Post.CHIEF_REPRESENTATIVE)
        .select_related("staff")
        .order_by("id")
    )
    valid = set(
        Certificate.objects.filter(issued_on__lte=today, expires_on__gte=today).values_list(
            "staff_id", flat=True
        )
    )
    items_by_window: dict[int, list[int]] = {}
    through = Window.service_items.through
    for window_id, item_id in through.objects.values_list("window_id", "serviceitem_id"):
        items_by_window.setdefault(window_id, []).append(item_id)
    appointments = []
    for s in chiefs:
        # appointments on file for the eligible ones; the article's problem cases have none
        if s.staff_id not in valid or s.staff.employment_type in (
            EmploymentType.TEMPORARY,
            EmploymentType.RETIRED_REHIRED,
        ):
            continue
        appointments.append(
            ChiefAppointment(
                stationing=s,
                appointment_number=f"任〔{s.start_date.year}〕{s.id:05d}号",
                authorization_number=f"授〔{s.start_date.year}〕{s.id:05d}号",
                valid_from=s.start_date,
                valid_until=s.start_date + timedelta(days=3 * 365),
            )
        )
    ChiefAppointment.objects.bulk_create(appointments, batch_size=5000)
    stationing_window = {s.id: s.window_id for s in chiefs}
    authorized = []
    for a in ChiefAppointment.objects.only("id", "stationing_id"):
        for item_id in items_by_window.get(stationing_window.get(a.stationing_id), []):
            authorized.append(
                AuthorizedItem(
                    appointment_id=a.id,
                    service_item_id=item_id,
                    can_accept=True,
                    can_review=True,
                    can_decide=rng.random() < 0.6,
                )
            )
    AuthorizedItem.objects.bulk_create(authorized, batch_size=5000)
    return len(appointments)


# --- a handful of requests through the workflow --------------------------------------------------


def _requests(rng, today) -> None:
    admin = User.objects.filter(role=Role.CENTER_ADMIN).order_by("id").first()
    liaisons = list(
        User.objects.filter(role=Role.LIAISON).prefetch_related("departments").order_by("id")
    )
    if admin is None:
        return
    used: set[int] = set()

    def open_stationing(dept_id, *, min_months=None, max_months=None):
        qs = Stationing.objects.open().filter(window__department_id=dept_id)
        qs = qs.exclude(staff_id__in=used).exclude(post=Post.CHIEF_REPRESENTATIVE)
        for s in qs.select_related("staff", "window").order_by("id"):
            months = s.tenure_months(today)
            if min_months is not None and months < min_months:
                continue
            if max_months is not None and months >= max_months:
                continue
            used.add(s.staff_id)
            return s
        return None

    def free_person(dept_id):
        person = (
            Staff.objects.filter(
                department_id=dept_id,
                center_role=CenterRole.WINDOW,
                status=StaffStatus.ACTIVE,
                stationings__isnull=True,
            )
            .exclude(pk__in=used)
            .exclude(employment_type=EmploymentType.TEMPORARY)
            .order_by("id")
            .first()
        )
        if person is not None:
            used.add(person.pk)
        return person

    def attempt(fn, *args, **kwargs):
        try:
            with transaction.atomic():  # each scenario all or nothing
                return fn(*args, **kwargs)
        except ValidationError as exc:  # a department too small for this scenario: skip it
            logger.info("demo scenario %s skipped: %s", fn.__name__, exc.messages)
            return None

    later = today + timedelta(days=14)
    plans = []
    for liaison in liaisons:
        dept = liaison.departments.order_by("id").first()
        if dept is None:
            continue
        plans.append((liaison, dept.pk))
    for liaison, dept_id in plans:
        pick = (dept_id, open_stationing, free_person)
        attempt(_replace, liaison, *pick, later, None)  # a draft the liaison is preparing
        attempt(_replace, liaison, *pick, later, "submit")  # waiting for the center
        # in vetting and passed, waiting for the center's approval (an early one)
        early = {"max_months": rules.min_tenure_months()}
        attempt(_replace, liaison, *pick, later, "vetted", admin=admin, **early)
        attempt(_replace, liaison, *pick, later, "failed", admin=admin)  # vetting failed
        # an approved rotation taking effect in a fortnight
        attempt(_rotate, liaison, admin, dept_id, open_stationing, later)
        # a replacement that took effect today
        served = {"min_months": rules.min_tenure_months()}
        attempt(_replace, liaison, *pick, today, "effective", admin=admin, **served)
        # the center demands a replacement (deadline in working days)
        attempt(_center_demand, admin, dept_id, open_stationing, later)
    # elsewhere, the center withdraws a second-line chief representative (the article's case)
    chief = (
        Stationing.objects.open()
        .filter(post=Post.CHIEF_REPRESENTATIVE, staff__status=StaffStatus.SECOND_LINE)
        .select_related("window", "staff")
        .order_by("id")
        .first()
    )
    if chief is not None:
        attempt(_withdraw_chief, admin, chief, later)


def _withdraw_chief(admin, chief, when):
    transfer = services.transfer_create(
        actor=admin,
        kind=TransferKind.WITHDRAW,
        window=chief.window,
        outgoing=chief.staff,
        reason="二线人员不得担任首席代表，请派驻单位收回并另行委派。",
        early_justification="不符合首席代表任职条件，须立即调整。",
        effective_date=when,
    )
    return services.transfer_submit(actor=admin, transfer=transfer)


def _replace(liaison, dept_id, open_stationing, free_person, when, stage, admin=None, **tenure):
    current = open_stationing(dept_id, **tenure)
    incoming = free_person(dept_id)
    if current is None or incoming is None:
        return None
    transfer = services.transfer_create(
        actor=liaison,
        kind=TransferKind.REPLACE,
        window=current.window,
        outgoing=current.staff,
        incoming=incoming,
        incoming_post=_post_for(incoming),
        reason=f"{current.staff.name}因工作需要调回本单位，拟由{incoming.name}接替。",
        early_justification="本单位业务骨干抽调专项工作，经与中心协商提前轮换。",
        effective_date=when,
    )
    if stage is None:
        return transfer
    transfer = services.transfer_submit(actor=liaison, transfer=transfer)
    if stage == "submit":
        return transfer
    transfer = services.transfer_start_vetting(actor=admin, transfer=transfer)
    passed = stage != "failed"
    services.vetting_record(
        actor=admin,
        transfer=transfer,
        political_ok=True,
        ability_ok=passed,
        fitness_ok=True,
        decision=VettingDecision.PASS if passed else VettingDecision.FAIL,
        ability_notes="" if passed else "业务测试未达到要求。",
    )
    if stage == "effective":
        return services.transfer_approve(actor=admin, transfer=transfer, today=when)
    return transfer


def _rotate(liaison, admin, dept_id, open_stationing, when):
    current = open_stationing(dept_id, min_months=rules.min_tenure_months())
    if current is None:
        return None
    other = (
        Window.objects.filter(department_id=dept_id, active=True)
        .exclude(pk=current.window_id)
        .order_by("id")
        .first()
    )
    if other is None:
        return None
    transfer = services.transfer_create(
        actor=liaison,
        kind=TransferKind.ROTATE,
        window=current.window,
        to_window=other,
        outgoing=current.staff,
        incoming_post=_post_for(current.staff),
        reason="岗位轮换，熟悉本单位其他窗口业务。",
        effective_date=when,
    )
    transfer = services.transfer_submit(actor=liaison, transfer=transfer)
    return services.transfer_approve(
        actor=admin,
        transfer=transfer,
        override_reason="轮换过渡期间临时超出窗口核定人数，中心同意。",
    )


def _center_demand(admin, dept_id, open_stationing, when):
    current = open_stationing(dept_id)
    if current is None:
        return None
    transfer = services.transfer_create(
        actor=admin,
        kind=TransferKind.REPLACE,
        window=current.window,
        outgoing=current.staff,
        reason=f"{current.staff.name}多次迟到早退，中心要求派驻单位更换人员。",
        early_justification="多次迟到早退，工作表现不符合窗口要求，须尽快更换。",
        effective_date=when,
    )
    return services.transfer_submit(actor=admin, transfer=transfer)


def build_stand_ins(*, rng: random.Random, today: date) -> int:
    """An A/B pair (AB岗) for most staffed windows, in bulk: A is the first person stationed
    there, B the next, valid from the later of their start dates; about one window in twenty is
    left without a pair (the stand-in page lists it)."""
    people: dict[int, list[tuple[int, date]]] = {}
    rows = (
        Stationing.objects.open()
        .order_by("window_id", "start_date", "id")
        .values_list("window_id", "staff_id", "start_date")
    )
    for window_id, staff_id, start in rows:
        people.setdefault(window_id, []).append((staff_id, start))
    pairs = [
        StandIn(
            window_id=window_id,
            a_id=here[0][0],
            b_id=here[1][0],
            valid_from=max(here[0][1], here[1][1]),
        )
        for window_id, here in people.items()
        if len(here) >= 2 and rng.random() >= 0.05
    ]
    StandIn.objects.bulk_create(pairs, batch_size=2000)
    log_bulk(actor=None, model=StandIn, action="seed_demo", count=len(pairs), reason="seed_demo")
    return len(pairs)
