"""The center's list of windows last in their group (issue #18): per month, each group's last
window by the red-flag formula, its score, and whether it was last the month before too (then a
warning talk is suggested: ``builtin_triggers.last_in_group``). Reads ``assessments.WindowGroupPlace``
rows: a fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render

from assessments.models import WindowGroupPlace
from staff.permissions import Perm, permission_required


def _month(text: str) -> date | None:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return None


def _previous(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


@permission_required(Perm.JOINT_CENTER)
def group_last_list(request):
    months = list(
        WindowGroupPlace.objects.order_by("-month").values_list("month", flat=True).distinct()[:24]
    )
    month = _month(request.GET.get("month") or "") or (months[0] if months else None)
    rows = []
    if month is not None:
        previous = _previous(month)
        before = dict(
            WindowGroupPlace.objects.filter(month=previous).values_list("window_id", "score")
        )
        for place in WindowGroupPlace.objects.filter(month=month).select_related(
            "window", "window__department"
        ):
            rows.append(
                {
                    "place": place,
                    "previous_score": before.get(place.window_id),
                    "running": place.window_id in before,
                }
            )
    return render(
        request,
        "joint/group_last.html",
        {"months": months, "month": month, "rows": rows},
    )
