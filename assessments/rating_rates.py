"""The GB/T 39734 rates read from the monthly rows (``RatingMonth``): two aggregate queries at
any size (three with the unrated-as-satisfied setting on).

Definitions (README "Citizen ratings"), over the service events of the months asked:

* good-rating rate = good ratings (非常满意, 满意, 基本满意) ÷ ratings;
* voluntary good-rating rate = good ratings the citizen gave ÷ ratings (a default rating by the
  platform, or by ``UNRATED_SATISFIED_AFTER_WORKING_DAYS``, counts as a rating but not here);
* unrated rate = events the citizen did not rate ÷ events;
* bad-rating rate = bad ratings (不满意, 非常不满意) ÷ ratings;
* over bad ratings: reply rate = replied ÷ bad, rectification rate = rectified ÷ (bad −
  invalidated on appeal), post-rectification satisfaction rate = satisfied after ÷ rectified
  with the citizen's satisfaction recorded (at the finish, or by a later call-back: the latest
  answer is the case's).

With ``UNRATED_SATISFIED_AFTER_WORKING_DAYS`` = N, an unrated event served on a day D counts as
基本满意 ("3") once N working days have passed (``add_working_days(D, N) < today``), at read
time: months wholly before the cutoff month take their unrated count; the cutoff month's
share comes from one indexed query on the unrated ratings of that month. Nothing stored changes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workdays import add_working_days
from staff.permissions import scope

from .conf import conf
from .models import Rating, RatingChannel, RatingMonth

# group → (RatingMonth keys, the same on Rating)
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "window": (("window_id", "window__code", "window__name"),) * 2,
    "department": (("department_id", "department__short_name", "department__name"),) * 2,
    "service_item": (("service_item_id", "service_item__code", "service_item__name"),) * 2,
    "channel": (("channel",),) * 2,
    "month": (("month",), ()),
}


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def defaulted_cutoff(today: date, n: int) -> date:
    """The last served day D whose unrated events count as satisfied on ``today``, i.e. with
    ``add_working_days(D, n) < today``: the day before the n-th working day back (one query)."""
    return add_working_days(today, -n) - timedelta(days=1)


def _label(group: str, row: dict[str, Any]) -> str:
    if group == "month":
        return f"{row['month']:%Y-%m}"
    if group == "window":
        return f"{row['window__code']} {row['window__name']}"
    if group == "department":
        return row["department__short_name"] or row["department__name"]
    if group == "service_item":
        if row["service_item_id"] is None:
            return _("No service item")
        return f"{row['service_item__code']} {row['service_item__name']}"
    try:
        return str(RatingChannel(row["channel"]).label)
    except ValueError:
        return row["channel"]


def rates(row: dict[str, int], defaulted: int = 0) -> dict[str, Any]:
    """The rates of one group's counts (``defaulted``: unrated events counted as 基本满意)."""
    levels = {n: row[f"level_{n}"] for n in "54321"}
    rated = sum(levels.values())
    counted = rated + defaulted
    events = rated + row["unrated"]
    good = levels["5"] + levels["4"] + levels["3"] + defaulted
    bad = levels["2"] + levels["1"]
    return {
        "events": events,
        "rated": rated,
        "defaulted": defaulted,
        "levels": levels,
        "good": good,
        "voluntary_good": row["voluntary_good"],
        "unrated": row["unrated"],
        "bad": bad,
        "replied": row["replied"],
        "rectified": row["rectified"],
        "good_rate": _rate(good, counted),
        "voluntary_good_rate": _rate(row["voluntary_good"], counted),
        "unrated_rate": _rate(row["unrated"], events),
        "bad_rate": _rate(bad, counted),
        "reply_rate": _rate(row["replied"], bad),
        "rectification_rate": _rate(row["rectified"], bad - row["invalid"]),
        "satisfaction_after_rate": _rate(row["satisfied_after"], row["followed"]),
    }


def rating_rates_for_user(
    user: Any,
    *,
    group: str = "month",
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """One row per group value (months ``start``..``end``, first days), in the user's scope
    (a liaison: their departments; window staff: nothing)."""
    if group not in GROUPS:
        group = "month"
    keys, rating_keys = GROUPS[group]
    qs = scope(RatingMonth.objects.all(), user, department="department", person=None)
    if start:
        qs = qs.filter(month__gte=start.replace(day=1))
    if end:
        qs = qs.filter(month__lte=end.replace(day=1))
    n = conf("UNRATED_SATISFIED_AFTER_WORKING_DAYS")
    cutoff = None
    sums = {f"sum_{name}": Sum(name) for name in RatingMonth.COUNTS}
    if n is not None:
        cutoff = defaulted_cutoff(today or timezone.localdate(), int(n))
        sums["sum_unrated_before"] = Sum("unrated", filter=Q(month__lt=cutoff.replace(day=1)))
    found = list(qs.values(*keys).annotate(**sums).order_by(*keys))
    partial: dict[tuple, int] = {}
    if (
        cutoff is not None
        and (not start or start <= cutoff)
        and (not end or end.replace(day=1) >= cutoff.replace(day=1))
    ):
        zone = timezone.get_current_timezone()
        month_start = datetime(cutoff.year, cutoff.month, 1, tzinfo=zone)
        until = datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=zone) + timedelta(days=1)
        unrated = scope(Rating.objects.all(), user, department="department", person=None).filter(
            level="", served_at__gte=month_start, served_at__lt=until
        )
        if group == "month":
            partial = {(cutoff.replace(day=1),): unrated.count()}
        else:
            for row in unrated.values(*rating_keys).annotate(n=Count("id")).order_by():
                partial[tuple(row[k] for k in rating_keys)] = row["n"]
    result = []
    for row in found:
        counts = {name: row[f"sum_{name}"] or 0 for name in RatingMonth.COUNTS}
        defaulted = 0
        if cutoff is not None:
            defaulted = (row["sum_unrated_before"] or 0) + partial.get(
                tuple(row[k] for k in (keys if group != "month" else ("month",))), 0
            )
        result.append(
            {"key": row[keys[0]], "label": _label(group, row), **rates(counts, defaulted)}
        )
    return result
