"""The center's basic skills and the default map from assessment findings to skills.

Used by the data migration (so a fresh center has them) and by the demo. The map is data
(:class:`training.models.CategorySkill`), editable in the admin; the assessments gap source reads
it. Deduction categories are the assessments app's ``RuleCategory`` values; rating categories are
its ``RatingLevel`` values for bad ratings ("2" 不满意, "1" 非常不满意).
"""

from __future__ import annotations

# (code, name, kind)
BASIC_SKILLS = [
    ("approval_system", "网上协同审批系统操作", "approval_system"),
    ("computer", "电脑操作技术", "computer"),
    ("etiquette", "文明礼仪", "etiquette"),
    ("first_contact", "首问负责制", "conduct"),
    ("one_time_notice", "一次性告知制", "conduct"),
    ("discipline", "窗口工作纪律", "conduct"),
    ("theory", "政治理论", "theory"),
]

# (origin, category, skill code, weight)
CATEGORY_SKILLS = [
    ("deduction", "discipline", "discipline", "1"),
    ("deduction", "service_conduct", "etiquette", "1"),
    ("deduction", "service_conduct", "first_contact", "1"),
    ("deduction", "efficiency", "one_time_notice", "1"),
    ("deduction", "efficiency", "approval_system", "1"),
    ("deduction", "business_quality", "approval_system", "1"),
    ("deduction", "business_quality", "one_time_notice", "1"),
    ("deduction", "citizen_rating", "etiquette", "1"),
    ("rating", "2", "etiquette", "1"),
    ("rating", "2", "first_contact", "1"),
    ("rating", "1", "etiquette", "2"),
    ("rating", "1", "first_contact", "2"),
    ("rating", "1", "one_time_notice", "1"),
]


def seed(skill_model, category_model) -> None:
    """Idempotent: creates what is missing, changes nothing that exists."""
    from decimal import Decimal

    skills = {}
    for code, name, kind in BASIC_SKILLS:
        skills[code], _ = skill_model.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind}
        )
    for origin, category, code, weight in CATEGORY_SKILLS:
        category_model.objects.get_or_create(
            origin=origin,
            category=category,
            skill=skills[code],
            defaults={"weight": Decimal(weight)},
        )
