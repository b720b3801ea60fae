"""Assessment rows written straight to the database, for apps that read them (training gaps,
joint triggers, report figures): deductions, scores and bad ratings on given days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from assessments.models import (
    AppealStatus,
    AssessmentRule,
    Entry,
    EntryStatus,
    Period,
    PeriodKind,
    Rating,
    Rectification,
    RectificationStatus,
    RuleKind,
    Score,
)
from assessments.services.scores import period_get_or_create


def month(day: date) -> Period:
    return period_get_or_create(kind=PeriodKind.MONTH, year=day.year, number=day.month)


def deduction(
    staff, window, day: date, *, category: str = "discipline", status=EntryStatus.ACTIVE
) -> Entry:
    rule = AssessmentRule.objects.filter(category=category, kind=RuleKind.DEDUCTION).first()
    return Entry.objects.create(
        period=month(day),
        staff=staff,
        window=window,
        rule=rule,
        kind=RuleKind.DEDUCTION,
        date=day,
        points=rule.points,
        original_points=rule.points,
        status=status,
        appeal_deadline=day + timedelta(days=5),
    )


def appeal(entry: Entry, status: str, decided: date):
    from assessments.models import Appeal

    return Appeal.objects.create(
        entry=entry,
        staff=entry.staff,
        reason="不同意",
        status=status,
        points_before=entry.points,
        points_after=entry.points if status == AppealStatus.UPHELD else Decimal(0),
        decided_at=timezone.make_aware(datetime(decided.year, decided.month, decided.day, 10)),
        decision_note="维持",
    )


def score(staff, window, day: date, total: str, *, rank_department: int | None = None) -> Score:
    """A score row as given, with the period's totals rebuilt (the score services keep them)."""
    from assessments.services.totals import period_totals_rebuild

    row = Score.objects.create(
        period=month(day),
        staff=staff,
        department_id=staff.department_id,
        window=window,
        total=Decimal(total),
        rank_department=rank_department,
    )
    period_totals_rebuild(row.period_id)
    return row


_refs = iter(range(1, 10**9))


def bad_rating(staff, window, day: date, *, level: str = "1", invalid: bool = False) -> Rating:
    served = timezone.make_aware(datetime(day.year, day.month, day.day, 10))
    rating = Rating.objects.create(
        event_ref=f"EV-T{next(_refs)}",
        window=window,
        department_id=window.department_id,
        staff=staff,
        level=level,
        served_at=served,
        rater_name="某市民",
    )
    Rectification.objects.create(
        rating=rating,
        window=window,
        department_id=window.department_id,
        staff=staff,
        status=RectificationStatus.INVALID if invalid else RectificationStatus.PENDING,
        opened_on=day,
        deadline=day + timedelta(days=20),
    )
    return rating
