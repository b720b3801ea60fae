"""Awards for a closed period: service stars (people with full marks) and red-flag windows
(efficiency 30% + staff scores 30% + duty-staff votes 20% + public votes 20% by default)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from core.audit import audited, log_bulk
from staff.permissions import Perm
from windows.models import Window
from workload.selectors import window_efficiency

from .. import vetoes
from ..conf import conf
from ..models import Award, AwardKind, Period, PeriodWindowTotal, Score, WindowAssessment
from .common import dec, require


def service_star_candidates(period: Period, quota: int) -> list[Award]:
    """Full marks in the period (no deduction, total at least the base), best total first;
    nobody a registered veto bars (``assessments.vetoes``: attendance, for one)."""
    scores = (
        Score.objects.filter(period=period, deductions=0, total__gte=conf("BASE_SCORE"))
        .exclude(staff_id__in=list(vetoes.barred(AwardKind.SERVICE_STAR, period)))
        .select_related("staff")
        .order_by("-total", "-bonus_raw", "staff__staff_number")[:quota]
    )
    return [
        Award(
            period=period,
            kind=AwardKind.SERVICE_STAR,
            staff_id=s.staff_id,
            window_id=s.window_id,
            department_id=s.department_id,
            score=s.total,
            rank=rank,
            components={"total": str(s.total), "bonus": str(s.bonus_raw)},
        )
        for rank, s in enumerate(scores, start=1)
    ]


def red_flag_scores(period: Period) -> list[dict[str, Any]]:
    """Every window with scores in the period, with its formula components (0–100 each)."""
    weights = conf("RED_FLAG_WEIGHTS")
    staff_avg = {  # from the window totals the score services keep, not the scores
        window_id: Decimal(total) / people
        for window_id, total, people in PeriodWindowTotal.objects.filter(period=period)
        .values("window_id")
        .annotate(t=Sum("total_sum"), n=Sum("people"))
        .filter(n__gt=0)
        .order_by()
        .values_list("window_id", "t", "n")
    }
    inputs = {i.window_id: i for i in WindowAssessment.objects.filter(period=period)}
    computed = window_efficiency(period.start_date, period.end_date)  # None: no workload
    max_duty = max([i.duty_votes for i in inputs.values()] or [0]) or 1
    max_public = max([i.public_votes for i in inputs.values()] or [0]) or 1
    departments = dict(Window.objects.filter(pk__in=staff_avg).values_list("id", "department_id"))
    rows = []
    for window_id, average in staff_avg.items():
        given = inputs.get(window_id)
        source, efficiency = _efficiency(given, computed, window_id)
        parts = {
            "efficiency": efficiency,
            "staff_scores": dec(min(Decimal(str(average)), Decimal(100))),
            "duty_votes": dec(Decimal(100) * (given.duty_votes if given else 0) / max_duty),
            "public_votes": dec(Decimal(100) * (given.public_votes if given else 0) / max_public),
        }
        score = dec(sum(weights[k] * v for k, v in parts.items()))
        rows.append(
            {
                "window_id": window_id,
                "department_id": departments[window_id],
                "score": score,
                "components": {k: str(v) for k, v in parts.items()},
                "efficiency_source": source,
                "computed_efficiency": None if computed is None else computed.get(window_id, 0),
            }
        )
    rows.sort(key=lambda r: (-r["score"], r["window_id"]))
    return rows


def _efficiency(
    given: WindowAssessment | None, computed: dict[int, Decimal] | None, window_id: int
) -> tuple[str, Decimal]:
    """Which efficiency counts: the center's typed figure when it is marked as an override or
    the period has no workload at all, else the one computed from workload (0 for a window
    with none). Returns ("typed" | "workload", the figure)."""
    if computed is None or (given is not None and given.efficiency_override):
        return "typed", dec(given.efficiency if given else 0)
    return "workload", dec(computed.get(window_id, 0))


@transaction.atomic
def awards_select(
    *, actor: Any, period: Period, kind: str, quota: int | None = None
) -> list[Award]:
    """Replace the period's awards of ``kind`` by the best candidates within the quota.

    The period must be closed (scores final). Raises ValidationError otherwise.
    """
    require(actor, Perm.AWARD_MANAGE)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if not period.is_closed:
        raise ValidationError(_("Close the period before choosing its awards."))
    if kind not in AwardKind.values:
        raise ValidationError(_("Unknown award."))
    quotas = conf("SERVICE_STAR_QUOTA" if kind == AwardKind.SERVICE_STAR else "RED_FLAG_QUOTA")
    quota = quota if quota is not None else quotas[period.kind]
    if quota < 0:
        raise ValidationError(_("The quota cannot be negative."))
    if kind == AwardKind.SERVICE_STAR:
        awards = service_star_candidates(period, quota)
    else:
        awards = [
            Award(
                period=period,
                kind=kind,
                window_id=row["window_id"],
                department_id=row["department_id"],
                score=row["score"],
                rank=rank,
                components=row["components"],
            )
            for rank, row in enumerate(red_flag_scores(period)[:quota], start=1)
        ]
    by = actor if getattr(actor, "pk", None) else None
    for award in awards:
        award.awarded_by = by
    removed, _detail = Award.objects.filter(period=period, kind=kind).delete()
    Award.objects.bulk_create(awards)
    log_bulk(
        actor=actor,
        model=Award,
        action="select",
        count=len(awards),
        reason=_("%(kind)s for %(period)s (replaced %(old)d)")
        % {"kind": AwardKind(kind).label, "period": period.label, "old": removed},
    )
    return awards


@transaction.atomic
def window_input_set(
    *,
    actor: Any,
    period: Period,
    window: Window,
    efficiency: Decimal,
    duty_votes: int,
    public_votes: int,
    reason: str = "",
    efficiency_override: bool = False,
) -> WindowAssessment:
    """The center's inputs of the red-flag formula for one window and period (efficiency 0–100,
    votes of the duty staff and of the public), while the period is open. Audited. Where the
    period has workload, the typed efficiency counts only with ``efficiency_override``."""
    require(actor, Perm.AWARD_MANAGE)
    errors: dict[str, list[str]] = {}
    if not Decimal(0) <= Decimal(str(efficiency)) <= Decimal(100):
        errors["efficiency"] = [_("Efficiency is between 0 and 100.")]
    for field, votes in (("duty_votes", duty_votes), ("public_votes", public_votes)):
        if int(votes) < 0:
            errors[field] = [_("Votes cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    locked = Period.objects.select_for_update().get(pk=period.pk)
    if locked.is_closed:
        raise ValidationError(_("This period is closed; its inputs no longer change."))
    item = WindowAssessment.objects.select_for_update().filter(period=period, window=window).first()
    item = item or WindowAssessment(period=period, window=window)
    item.efficiency = dec(efficiency)
    item.duty_votes = int(duty_votes)
    item.public_votes = int(public_votes)
    item.efficiency_override = bool(efficiency_override)
    with audited(actor=actor, reason=reason):
        item.save()
    return item
