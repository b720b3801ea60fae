"""A person's evidence pack for a period: everything the center can show HR about their window
service, as JSON-ready data (dates as ISO strings, decimals as strings, choices as their codes).

The same dict is shown on screen, exported as xlsx, returned by the API and frozen in an
:class:`~promotions.models.EvidenceSnapshot`; labels are added when it is displayed
(``promotions.templatetags.evidence``), so a frozen pack reads in the viewer's language.

:func:`build_pack` runs a fixed number of queries (one per part) whatever the length of the
record.

Long because: one builder per part of the pack, one query each, in the order the pack shows
them, sharing the small converters.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from assessments.models import Award, Entry, PeriodKind, Rating, RuleKind, Score
from assessments.selectors import department_people, period_people, rating_summaries, with_ranks
from core import people
from staff import idcard
from staff.models import Certificate, Staff
from staff.permissions import Perm, has_perm
from training.selectors import hours_by_category_and_side
from windows.models import ChiefAppointment, Stationing, add_months, months_between

from ..models import Appraisal

#: Bumped when the shape of a pack changes, so a frozen pack says which shape it has.
PACK_VERSION = 1

#: The parts of a pack, in the order they are shown and exported.
PARTS = (
    "identity",
    "stationings",
    "chief_service",
    "certificates",
    "monthly_scores",
    "annual_scores",
    "deductions",
    "bonuses",
    "awards",
    "ratings",
    "training",
    "appraisals",
)


def default_period(today: date | None = None) -> tuple[date, date]:
    """The default evidence period: ``PROMOTIONS["EVIDENCE_YEARS"]`` years up to today."""
    today = today or timezone.localdate()
    years = settings.PROMOTIONS["EVIDENCE_YEARS"]
    return add_months(today, -12 * years) + timedelta(days=1), today


def build_pack(
    staff: Staff, *, start: date, end: date, viewer: Any, cache: dict | None = None
) -> dict[str, Any]:
    """The evidence pack of ``staff`` from ``start`` to ``end`` (both included).

    The caller has already checked that ``viewer`` may see this person's evidence; ``viewer``
    decides only whether the ID number is shown in full (``Perm.ID_NUMBER_VIEW``). ``viewer`` None
    means the system (full number): use it only for content that is masked again when shown.
    """
    return build_packs([staff], start=start, end=end, viewer=viewer, cache=cache)[0]


def live_pack(staff: Staff, *, start: date, end: date, viewer: Any) -> dict[str, Any]:
    """:func:`build_pack` for reading on screen or in the API. Nothing is cached: the pack is
    a fixed number of indexed queries (population sizes come from the score totals the score
    services keep, ranks of open periods are counted over an index), so it is built afresh
    for each request and shows a write at once."""
    return build_pack(staff, start=start, end=end, viewer=viewer)


def build_packs(
    people: Sequence[Staff], *, start: date, end: date, viewer: Any, cache: dict | None = None
) -> list[dict[str, Any]]:
    """The packs of ``people`` (their departments selected), in that order: one query per part
    for all of them. ``cache`` (a dict) lets successive batches share what is the same for
    everyone (the number of people scored per period); scores do not change during an export.
    """
    if end < start:
        raise ValueError("The evidence period ends before it starts.")
    ids = [person.pk for person in people]
    parts = {
        "stationings": _stationings(ids, start, end),
        "chief_service": _chief_service(ids, start, end),
        "certificates": _certificates(ids, start, end),
        "scores": _scores(ids, start, end, cache),
        "entries": _entries(ids, start, end),
        "awards": _awards(ids, start, end),
        "ratings": _ratings(ids, start, end),
        "training": _training(ids, start, end),
        "appraisals": _appraisals(ids, start, end),
        "workload": _workload(ids, start, end),
    }
    generated_at = timezone.localtime().isoformat(timespec="seconds")
    packs = []
    for person in people:
        stationings = parts["stationings"].get(person.pk, [])
        scores = parts["scores"].get(person.pk, [])
        entries = parts["entries"].get(person.pk, [])
        packs.append(
            {
                "version": PACK_VERSION,
                "period": {"start": _d(start), "end": _d(end)},
                "generated_at": generated_at,
                "identity": _identity(person, viewer),
                "stationings": stationings,
                "tenure": {
                    "stationings": len(stationings),
                    "months_in_period": sum(row["months_in_period"] for row in stationings),
                },
                "chief_service": parts["chief_service"].get(person.pk, []),
                "certificates": parts["certificates"].get(person.pk, []),
                "monthly_scores": [row for row in scores if row["kind"] == PeriodKind.MONTH],
                "annual_scores": [row for row in scores if row["kind"] == PeriodKind.YEAR],
                "deductions": [row for row in entries if row["kind"] == RuleKind.DEDUCTION],
                "bonuses": [row for row in entries if row["kind"] == RuleKind.BONUS],
                "awards": parts["awards"].get(person.pk, []),
                "ratings": parts["ratings"][person.pk],
                "training": parts["training"][person.pk],
                "appraisals": parts["appraisals"].get(person.pk, []),
                "workload": parts["workload"].get(person.pk, []),
            }
        )
    return packs


def masked_for(pack: dict[str, Any], viewer: Any) -> dict[str, Any]:
    """``pack`` as ``viewer`` may see it: the ID number masked unless the role may see it. Used
    for frozen packs, whose content was built for whoever froze them."""
    if has_perm(viewer, Perm.ID_NUMBER_VIEW):
        return pack
    shown = copy.deepcopy(pack)
    identity = shown.get("identity") or {}
    if identity.get("id_number"):
        identity["id_number"] = idcard.mask(identity["id_number"])
        identity["id_masked"] = True
    return shown


# --- parts -----------------------------------------------------------------------------------


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _n(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _by_staff(rows: Iterable[Any], key: Callable, convert: Callable) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(convert(row))
    return grouped


def _hours(value: Decimal) -> str:
    """Hours with one decimal, whatever the database's sum gave back."""
    return str(Decimal(value).quantize(Decimal("0.1")))


def _identity(staff: Staff, viewer: Any) -> dict[str, Any]:
    full = viewer is None or has_perm(viewer, Perm.ID_NUMBER_VIEW)
    return {
        "id": staff.pk,
        "staff_number": staff.staff_number,
        "name": staff.name,
        "gender": staff.gender,
        "date_of_birth": _d(staff.date_of_birth),
        "id_number": staff.id_number if full else staff.masked_id_number,
        "id_masked": not full,
        "department": {
            "id": staff.department_id,
            "code": staff.department.code,
            "name": staff.department.name,
        },
        "political_status": staff.political_status,
        "employment_type": staff.employment_type,
        "rank": staff.rank,
        "education": staff.education,
        "center_role": staff.center_role,
        "status": staff.status,
        "is_reserve_cadre": staff.is_reserve_cadre,
    }


def _stationings(ids: list[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    rows = (
        Stationing.objects.filter(staff_id__in=ids, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
        .select_related("window", "window__department")
        .order_by("start_date", "id")
    )
    result: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for s in rows:
        # [start_date, end_date) — the last day served is the day before end_date.
        until = min(s.end_date, end + timedelta(days=1)) if s.end_date else end + timedelta(days=1)
        result[s.staff_id].append(
            {
                "window_code": s.window.code,
                "window_name": s.window.name,
                "window_department": s.window.department.name,
                "post": s.post,
                "start_date": _d(s.start_date),
                "end_date": _d(s.end_date),
                "end_reason": s.end_reason,
                "is_early_end": s.is_early_end,
                "months": months_between(s.start_date, until),
                "months_in_period": months_between(max(s.start_date, start), until),
            }
        )
    return result


def _chief_service(ids: list[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    rows = (
        ChiefAppointment.objects.filter(stationing__staff_id__in=ids, valid_from__lte=end)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
        .select_related("stationing__window")
        .order_by("valid_from", "id")
    )
    return _by_staff(
        rows,
        lambda a: a.stationing.staff_id,
        lambda a: {
            "window_code": a.stationing.window.code,
            "window_name": a.stationing.window.name,
            "appointment_number": a.appointment_number,
            "authorization_number": a.authorization_number,
            "valid_from": _d(a.valid_from),
            "valid_until": _d(a.valid_until),
            "stationing_start": _d(a.stationing.start_date),
            "stationing_end": _d(a.stationing.end_date),
        },
    )


def _certificates(ids: list[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    rows = Certificate.objects.filter(
        staff_id__in=ids, issued_on__lte=end, expires_on__gte=start
    ).order_by("issued_on", "id")
    return _by_staff(
        rows,
        lambda c: c.staff_id,
        lambda c: {
            "number": c.number,
            "issued_on": _d(c.issued_on),
            "expires_on": _d(c.expires_on),
            "valid_at_end": c.is_valid_on(end),
        },
    )


def _population_sizes(keys: set[tuple[int, int]], cache: dict | None) -> dict:
    """People scored per period (``period_id``) and per (period, department) for the
    (period, department) ``keys``, read from the score totals (two small queries for what is
    not in ``cache`` yet: a batch export shares one cache across its people)."""
    sizes = cache if cache is not None else {}
    missing_periods = {p for p, _d in keys if p not in sizes}
    missing_keys = {key for key in keys if key not in sizes}
    if missing_periods:
        sizes.update(period_people(missing_periods))
    if missing_keys:
        sizes.update(department_people(missing_keys))
    return sizes


def _scores(
    ids: list[int], start: date, end: date, cache: dict | None
) -> dict[int, list[dict[str, Any]]]:
    rows: list[Score] = with_ranks(
        list(
            Score.objects.filter(
                staff_id__in=ids,
                period__kind__in=(PeriodKind.MONTH, PeriodKind.YEAR),
                period__start_date__lte=end,
                period__end_date__gte=start,
            )
            .select_related("period", "window", "department")
            .order_by("period__start_date", "period__kind", "id")
        )
    )
    sizes = _population_sizes({(s.period_id, s.department_id) for s in rows}, cache)
    return _by_staff(
        rows,
        lambda s: s.staff_id,
        lambda s: {
            "kind": s.period.kind,
            "year": s.period.year,
            "number": s.period.number,
            "period_status": s.period.status,
            "department": s.department.name,
            "window": s.window.code if s.window else "",
            "base": _n(s.base),
            "deductions": _n(s.deductions),
            "bonus": _n(s.bonus),
            "monthly_average": _n(s.monthly_average),
            "review_score": _n(s.review_score),
            "total": _n(s.total),
            "rank_center": s.rank_center,
            "center_size": sizes[s.period_id],
            "rank_department": s.rank_department,
            "department_size": sizes.get((s.period_id, s.department_id), 0),
            "suggested_grade": s.suggested_grade,
            "department_grade": s.department_grade,
        },
    )


def _entries(ids: list[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    rows = (
        Entry.objects.filter(staff_id__in=ids, date__gte=start, date__lte=end)
        .select_related("rule", "window", "appeal", "joint_parent__staff")
        .order_by("date", "id")
    )
    result: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for e in rows:
        appeal = getattr(e, "appeal", None)
        result[e.staff_id].append(
            {
                "kind": e.kind,
                "date": _d(e.date),
                "rule_code": e.rule.code,
                "rule": e.rule.description,
                "category": e.rule.category,
                "window": e.window.code if e.window else "",
                "quantity": _n(e.quantity),
                "points": _n(e.points),
                "original_points": _n(e.original_points),
                "status": e.status,
                "notes": e.notes,
                "joint_liability_for": e.joint_parent.staff.name if e.joint_parent else "",
                "appeal_status": appeal.status if appeal else "",
                "appeal_points_after": _n(appeal.points_after) if appeal else None,
                "appeal_decision": appeal.decision_note if appeal else "",
            }
        )
    return result


def _awards(ids: list[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    rows = (
        Award.objects.filter(
            staff_id__in=ids, period__start_date__lte=end, period__end_date__gte=start
        )
        .select_related("period")
        .order_by("period__start_date", "kind", "id")
    )
    return _by_staff(
        rows,
        lambda a: a.staff_id,
        lambda a: {
            "kind": a.kind,
            "period_kind": a.period.kind,
            "year": a.period.year,
            "number": a.period.number,
            "rank": a.rank,
            "score": _n(a.score),
        },
    )


def _ratings(ids: list[int], start: date, end: date) -> dict[int, dict[str, Any]]:
    # Local-day bounds as timestamps, so the (staff, served_at) index is range-scanned.
    zone = timezone.get_current_timezone()
    first = datetime.combine(start, time.min, tzinfo=zone)
    after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    summaries = rating_summaries(
        Rating.objects.filter(staff_id__in=ids, served_at__gte=first, served_at__lt=after),
        by="staff_id",
        keys=ids,
    )
    return {
        pk: {key: (str(value) if isinstance(value, float) else value) for key, value in s.items()}
        for pk, s in summaries.items()
    }


def _training(ids: list[int], start: date, end: date) -> dict[int, dict[str, Any]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in hours_by_category_and_side(ids, start, end):
        grouped[row["staff_id"]].append(row)
    return {pk: _training_part(grouped[pk]) for pk in ids}


def _training_part(rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_side: dict[str, Decimal] = {}
    for row in rows:
        by_side[row["side"]] = by_side.get(row["side"], Decimal("0")) + row["hours"]
    return {
        "rows": [
            {
                "category": row["category"],
                "side": row["side"],
                "hours": _hours(row["hours"]),
                "sessions": row["sessions"],
            }
            for row in rows
        ],
        "by_side": {side: _hours(hours) for side, hours in sorted(by_side.items())},
        "total_hours": _hours(sum(by_side.values(), Decimal("0"))),
        "sessions": sum(row["sessions"] for row in rows),
    }


def _workload(ids: list[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    """Workload per year of the period (issue #18): counts by kind and weighted points."""
    from workload.selectors import staff_years

    return {
        pk: [{**year, "points": str(year["points"])} for year in years]
        for pk, years in staff_years(ids, start, end).items()
    }


def _appraisals(ids: list[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    rows = list(
        Appraisal.objects.filter(staff_id__in=ids, date__gte=start, date__lte=end)
        .select_related("written_by", *people.related("written_by"))
        .order_by("date", "id")
    )
    people.load_for(rows, "written_by")  # the writer's name and unit, no query per row
    return _by_staff(
        rows,
        lambda a: a.staff_id,
        lambda a: {
            "date": _d(a.date),
            "text": a.text,
            # a person and unit, never a login name (it is frozen into snapshots as written)
            "written_by": people.person(a.written_by),
        },
    )
