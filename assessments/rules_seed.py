"""The common rules of domain/RULES.md, loaded by the data migration and by
``manage.py load_assessment_rules`` (idempotent: existing codes are left as the center set them)."""

from decimal import Decimal

# code, category, description, points, unit, kind, evidence required, joint liability
RULES = [
    (
        "D01",
        "discipline",
        "迟到（10分钟以内）",
        Decimal("1"),
        "occurrence",
        "deduction",
        False,
        False,
    ),
    (
        "D02",
        "discipline",
        "未按规定签到签退",
        Decimal("2"),
        "occurrence",
        "deduction",
        False,
        False,
    ),
    ("D03", "discipline", "无故缺勤（每半天）", Decimal("5"), "half_day", "deduction", True, False),
    (
        "D04",
        "discipline",
        "擅离岗位超过15分钟",
        Decimal("3"),
        "occurrence",
        "deduction",
        True,
        False,
    ),
    (
        "E01",
        "efficiency",
        "超过承诺时限办结（每件）",
        Decimal("5"),
        "case",
        "deduction",
        True,
        False,
    ),
    (
        "E02",
        "efficiency",
        "超过承诺时限办结（每逾期一个工作日）",
        Decimal("2"),
        "working_day",
        "deduction",
        True,
        False,
    ),
    # issue #18: a case the case system reports completed (or still open) past its promised
    # deadline; the case system's record is its evidence
    (
        "E03",
        "efficiency",
        "办件超期（办件系统记录，超过承诺时限，每件）",
        Decimal("5"),
        "case",
        "deduction",
        False,
        False,
    ),
    (
        "S01",
        "service_conduct",
        "未落实首问负责制",
        Decimal("0.5"),
        "occurrence",
        "deduction",
        True,
        False,
    ),
    (
        "S02",
        "service_conduct",
        "服务态度生硬、被有效投诉",
        Decimal("3"),
        "case",
        "deduction",
        True,
        True,
    ),
    (
        "Q01",
        "business_quality",
        "窗口被通报批评（督查通报）",
        Decimal("15"),
        "occurrence",
        "deduction",
        True,
        True,
    ),
    # attendance (issue #17): counted from the attendance days, which are their own evidence
    (
        "A01",
        "discipline",
        "迟到（考勤记录，每次）",
        Decimal("1"),
        "occurrence",
        "deduction",
        False,
        False,
    ),
    (
        "A02",
        "discipline",
        "早退（考勤记录，每次）",
        Decimal("1"),
        "occurrence",
        "deduction",
        False,
        False,
    ),
    (
        "A03",
        "discipline",
        "缺卡（未按规定签到签退，每次）",
        Decimal("1"),
        "occurrence",
        "deduction",
        False,
        False,
    ),
    (
        "A04",
        "discipline",
        "旷工（考勤记录，每半天）",
        Decimal("5"),
        "half_day",
        "deduction",
        False,
        False,
    ),
    (
        "A05",
        "discipline",
        "外出超时未归（每次）",
        Decimal("2"),
        "occurrence",
        "deduction",
        False,
        False,
    ),
    ("R01", "citizen_rating", "经核实的差评", Decimal("2"), "case", "deduction", True, False),
    (
        "B01",
        "commendation",
        "收到群众表扬信、锦旗",
        Decimal("1"),
        "occurrence",
        "bonus",
        True,
        False,
    ),
    (
        "B02",
        "commendation",
        "受到上级机关通报表扬",
        Decimal("2"),
        "occurrence",
        "bonus",
        True,
        False,
    ),
]


def load(rule_model) -> int:
    """Create the rules whose codes do not exist yet; returns how many were created."""
    existing = set(rule_model.objects.values_list("code", flat=True))
    new = [
        rule_model(
            code=code,
            category=category,
            description=description,
            points=points,
            unit=unit,
            kind=kind,
            evidence_required=evidence,
            joint_liability=joint,
        )
        for code, category, description, points, unit, kind, evidence, joint in RULES
        if code not in existing
    ]
    rule_model.objects.bulk_create(new)
    return len(new)
