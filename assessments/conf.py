"""Assessment defaults (DESIGN.md §2: defaults are settings, not constants).

Override any key with ``ASSESSMENTS = {...}`` in the Django settings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "BASE_SCORE": Decimal("100"),
    "BONUS_CAP": Decimal("5"),
    "JOINT_LIABILITY_SHARE": Decimal("0.5"),
    "APPEAL_WORKING_DAYS": 5,
    "RECTIFICATION_WORKING_DAYS": 15,
    # annual = 80% average of monthly scores + 20% year-end review
    "ANNUAL_MONTHLY_WEIGHT": Decimal("0.8"),
    "ANNUAL_REVIEW_WEIGHT": Decimal("0.2"),
    "QUARTER_MONTHLY_WEIGHT": Decimal("1"),
    "QUARTER_REVIEW_WEIGHT": Decimal("0"),
    # red-flag window: efficiency 30% + staff scores 30% + duty votes 20% + public votes 20%
    "RED_FLAG_WEIGHTS": {
        "efficiency": Decimal("0.3"),
        "staff_scores": Decimal("0.3"),
        "duty_votes": Decimal("0.2"),
        "public_votes": Decimal("0.2"),
    },
    "RED_FLAG_QUOTA": {"month": 5, "quarter": 2, "year": 1},
    "SERVICE_STAR_QUOTA": {"month": 10, "quarter": 5, "year": 3},
    # annual grade suggestion: excellent needs both the score and a place in the top share
    "GRADE_EXCELLENT_MIN_SCORE": Decimal("95"),
    "GRADE_EXCELLENT_TOP_SHARE": Decimal("0.15"),
    "GRADE_COMPETENT_MIN_SCORE": Decimal("80"),
    "GRADE_BASIC_MIN_SCORE": Decimal("60"),
    "EVIDENCE_MAX_BYTES": 10 * 1024 * 1024,
    "EVIDENCE_TYPES": {
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".png": "image/png",
        ".pdf": "application/pdf",
        ".mp3": "audio/mpeg",
        ".mp4": "video/mp4",
    },
    "RATING_IMPORT_MAX_ROWS": 50000,
    # --- ratings feed (issue #18) ---
    "RATING_PUSH_BATCH_MAX": 500,  # rows per POST /api/v1/feeds/ratings/
    "RECTIFICATION_EXTENSION_MAX_WORKING_DAYS": 15,  # most extra days one request may ask
    # An unrated event this many working days after it was served counts as 基本满意 in the
    # rates (Guangdong's default rating); None: off, unrated stays unrated.
    "UNRATED_SATISFIED_AFTER_WORKING_DAYS": None,
    # --- end ratings feed ---
    # The person who recorded a deduction may not decide its appeal (issue #16).
    "APPEAL_RECORDER_MAY_NOT_DECIDE": True,
    # --- issue #18: the case system (overdue cases) and the window last in its group ---
    "CASE_PUSH_BATCH_MAX": 500,  # cases in one request of the case system
    "OVERDUE_CASE_RULE": "E03",  # the rule an overdue case's deduction is recorded under
}


def conf(key: str) -> Any:
    return getattr(settings, "ASSESSMENTS", {}).get(key, DEFAULTS[key])
