"""Labels for the codes in an evidence pack, for display (in the interface language) and for the
xlsx (fixed in Chinese, like the roster's file format)."""

from __future__ import annotations

from typing import Any

from assessments.models import (
    AppealStatus,
    AwardKind,
    EntryStatus,
    Grade,
    PeriodKind,
    PeriodStatus,
    RatingLevel,
    RuleCategory,
    RuleKind,
)
from staff.models import CenterRole, Education, EmploymentType, Gender, PoliticalStatus, StaffStatus
from training.models import CourseCategory, OrganizerSide
from windows.models import EndReason, Post

CHOICES: dict[str, Any] = {
    "gender": Gender,
    "political_status": PoliticalStatus,
    "employment_type": EmploymentType,
    "education": Education,
    "center_role": CenterRole,
    "status": StaffStatus,
    "post": Post,
    "end_reason": EndReason,
    "grade": Grade,
    "period_kind": PeriodKind,
    "period_status": PeriodStatus,
    "entry_kind": RuleKind,
    "entry_status": EntryStatus,
    "appeal_status": AppealStatus,
    "rule_category": RuleCategory,
    "award": AwardKind,
    "rating_level": RatingLevel,
    "course_category": CourseCategory,
    "side": OrganizerSide,
}


def label(kind: str, code: Any) -> str:
    """The label of ``code`` among the ``kind`` choices, in the active language ('' for none)."""
    if code in (None, ""):
        return ""
    choices = CHOICES[kind]
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def period_label(row: dict[str, Any]) -> str:
    """``2026-03`` for a month, ``2026`` for a year, ``2026 Q1`` for a quarter."""
    if row.get("period_kind", row.get("kind")) == PeriodKind.MONTH:
        return f"{row['year']}-{row['number']:02d}"
    if row.get("period_kind", row.get("kind")) == PeriodKind.QUARTER:
        return f"{row['year']} Q{row['number']}"
    return str(row["year"])
