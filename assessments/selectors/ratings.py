"""Citizen ratings (好差评) and rectification cases, and the rating statistics and summaries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

from staff.permissions import Perm, has_perm, scope

from ..models import (
    BAD_LEVELS,
    GOOD_LEVELS,
    Rating,
    RatingLevel,
    Rectification,
    RectificationStatus,
)


def rating_list_for_user(user: Any) -> QuerySet[Rating]:
    qs = Rating.objects.select_related("window", "department", "staff", "service_item")
    qs = scope(qs, user, department="department", person="staff")
    if not has_perm(user, Perm.RATING_RATER_VIEW):
        qs = qs.defer("rater_name", "rater_phone")
    return qs


def rating_get_for_user(user: Any, pk: int) -> Rating:
    return get_object_or_404(rating_list_for_user(user), pk=pk)


def rectification_list_for_user(user: Any) -> QuerySet[Rectification]:
    qs = Rectification.objects.select_related(
        "rating", "rating__service_item", "window", "department", "staff"
    )
    return scope(qs, user, department="department", person="staff")


def rectification_get_for_user(user: Any, pk: int) -> Rectification:
    return get_object_or_404(rectification_list_for_user(user), pk=pk)


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


RATING_GROUPS = {
    "window": ("window__code", "window__name"),
    "department": ("department__short_name", "department__name"),
    "month": ("month",),
}


def rating_statistics(
    user: Any, *, group: str = "month", start: date | None = None, end: date | None = None
) -> list[dict[str, Any]]:
    """GB/T 39734-2020 rates per window, department or month, in one aggregate query:

    good-rating rate = good (非常满意/满意/基本满意) ÷ rated; unrated rate = unrated ÷ service
    events; reply rate = bad ratings replied ÷ bad ratings; rectification rate = rectified ÷
    valid bad ratings (bad minus invalidated); post-rectification satisfaction = rectified and
    then satisfied ÷ rectified with a recorded satisfaction.
    """
    qs = scope(Rating.objects.all(), user, department="department", person="staff")
    if start:
        qs = qs.filter(served_at__date__gte=start)
    if end:
        qs = qs.filter(served_at__date__lte=end)
    if group == "month":
        qs = qs.annotate(month=TruncMonth("served_at"))
    keys = RATING_GROUPS[group]
    rows = qs.values(*keys).annotate(**_rating_counts()).order_by(*keys)
    result = []
    for row in rows:
        if group == "month":
            month = row["month"]
            label = f"{month:%Y-%m}" if month else "—"
        elif group == "window":
            label = f"{row['window__code']} {row['window__name']}"
        else:
            label = row["department__short_name"] or row["department__name"]
        result.append({"label": label, **_rating_rates(row)})
    return result


def _rating_counts() -> dict[str, Any]:
    """The counts behind the GB/T 39734-2020 rates, as aggregate expressions."""
    return {
        "events": Count("id"),
        "rated": Count("id", filter=~Q(level="")),
        "good": Count("id", filter=Q(level__in=GOOD_LEVELS)),
        "bad": Count("id", filter=Q(level__in=BAD_LEVELS)),
        "replied": Count("id", filter=Q(rectification__replied_at__isnull=False)),
        "invalid": Count("id", filter=Q(rectification__status=RectificationStatus.INVALID)),
        "rectified": Count("id", filter=Q(rectification__status=RectificationStatus.DONE)),
        "followed": Count(
            "id",
            filter=Q(rectification__status=RectificationStatus.DONE)
            & ~Q(rectification__satisfaction_after=""),
        ),
        "satisfied_after": Count(
            "id",
            filter=Q(rectification__status=RectificationStatus.DONE)
            & Q(rectification__satisfaction_after__in=GOOD_LEVELS),
        ),
    }


def _rating_rates(row: dict[str, Any]) -> dict[str, Any]:
    valid_bad = row["bad"] - row["invalid"]
    return {
        **{k: row[k] for k in ("events", "rated", "good", "bad", "replied", "rectified")},
        "good_rate": _rate(row["good"], row["rated"]),
        "unrated_rate": _rate(row["events"] - row["rated"], row["events"]),
        "reply_rate": _rate(row["replied"], row["bad"]),
        "rectification_rate": _rate(row["rectified"], valid_bad),
        "satisfaction_after_rate": _rate(row["satisfied_after"], row["followed"]),
    }


def rating_summaries(
    ratings: QuerySet[Rating], *, by: str, keys: Iterable[Any]
) -> dict[Any, dict[str, Any]]:
    """The same rates as :func:`rating_statistics`, plus the count per level, for each value of
    ``by`` among ``keys`` (each person's ratings for a period, say; zeros for a key without
    ratings). One aggregate query."""
    per_level = {f"level_{level}": Count("id", filter=Q(level=level)) for level in RatingLevel}
    rows = ratings.order_by().values(by).annotate(**_rating_counts(), **per_level)
    found = {row[by]: row for row in rows}
    empty = dict.fromkeys([*_rating_counts(), *per_level], 0)
    result = {}
    for key in keys:
        row = found.get(key, empty)
        summary = _rating_rates(row)
        summary["levels"] = {level.value: row[f"level_{level}"] for level in RatingLevel}
        result[key] = summary
    return result
