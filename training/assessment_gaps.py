"""The "assessments" gap source: recent assessment findings reveal skill gaps.

What the person did wrong recently points to what they should train. The center maps each
deduction rule category (``assessments.RuleCategory``) and each bad citizen-rating level
(``assessments.RatingLevel`` "2"/"1") to skills in :class:`training.models.CategorySkill`
(editable in the admin, seeded from ``catalog_seed``). For every person, over the last
``CENTER["TRAINING_GAP_LOOKBACK_DAYS"]`` days (default 180):

* each mapped deduction category with active deductions (an appeal that cancelled the entry
  removes it; a joint-liability share does not count — it is the chief's liability for someone
  else's finding, not a gap of their own), and
* each mapped bad-rating level with ratings whose rectification case was not judged invalid,

gives one gap per mapped skill, weighted ``mapping weight × number of findings``, with
``current=0`` (any course covering the skill closes it). Three queries for any number of people.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    BAD_LEVELS,
    Entry,
    EntryStatus,
    Rating,
    RatingLevel,
    RectificationStatus,
    RuleCategory,
    RuleKind,
)

from .gaps import Gap, GapFacts, register_gap_source
from .models import CategorySkill, GapOrigin


def _label(origin: str, category: str) -> str:
    choices = RuleCategory if origin == GapOrigin.DEDUCTION else RatingLevel
    try:
        return str(choices(category).label)
    except ValueError:  # a mapping for a category assessments no longer has
        return category


@register_gap_source("assessments")
def assessment_gaps(facts: GapFacts) -> dict[int, list[Gap]]:
    person_ids, today = facts.ids, facts.today
    mappings: dict[tuple[str, str], list[tuple[int, str, float]]] = defaultdict(list)
    for origin, category, skill_id, name, weight in CategorySkill.objects.filter(
        skill__active=True
    ).values_list("origin", "category", "skill_id", "skill__name", "weight"):
        mappings[(origin, category)].append((skill_id, name, float(weight)))
    if not mappings or not person_ids:
        return {}
    start = today - timedelta(days=settings.CENTER["TRAINING_GAP_LOOKBACK_DAYS"])
    counts: list[tuple[int, str, str, int]] = []
    deduction_categories = [c for o, c in mappings if o == GapOrigin.DEDUCTION]
    if deduction_categories:
        rows = (
            Entry.objects.filter(
                staff_id__in=person_ids,
                kind=RuleKind.DEDUCTION,
                status=EntryStatus.ACTIVE,
                joint_parent__isnull=True,
                date__gte=start,
                date__lte=today,
                rule__category__in=deduction_categories,
            )
            .values("staff_id", "rule__category")
            .annotate(n=Count("id"))
            .order_by()
        )
        counts += [(r["staff_id"], GapOrigin.DEDUCTION, r["rule__category"], r["n"]) for r in rows]
    levels = [c for o, c in mappings if o == GapOrigin.RATING and c in BAD_LEVELS]
    if levels:
        tz = timezone.get_current_timezone()
        rows = (
            Rating.objects.filter(
                staff_id__in=person_ids,
                level__in=levels,
                served_at__gte=datetime.combine(start, time.min, tzinfo=tz),
                served_at__lt=datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz),
            )
            .exclude(rectification__status=RectificationStatus.INVALID)
            .values("staff_id", "level")
            .annotate(n=Count("id"))
            .order_by()
        )
        counts += [(r["staff_id"], GapOrigin.RATING, r["level"], r["n"]) for r in rows]
    template = _("%(count)s recent findings (%(category)s) point to %(skill)s")
    result: dict[int, list[Gap]] = defaultdict(list)
    for person_id, origin, category, n in sorted(counts):
        label = _label(origin, category)
        for skill_id, name, weight in mappings[(origin, category)]:
            result[person_id].append(
                Gap(
                    skill=skill_id,
                    weight=weight * n,
                    kind="assessment",
                    current=0,
                    reason=template % {"count": n, "category": label, "skill": name},
                )
            )
    return dict(result)
