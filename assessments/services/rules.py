"""The center's rule table: a rule is added or changed here, with a reason, in the audit trail.

An entry keeps the points it was recorded with, so a change reaches only later entries; a rule
that entries cite keeps its code (they name it) and is retired with ``active``, never deleted.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audited
from staff.permissions import Perm

from ..models import AssessmentRule, Entry
from .common import require

FIELDS = (
    "code",
    "category",
    "description",
    "points",
    "unit",
    "kind",
    "evidence_required",
    "joint_liability",
    "active",
)


@transaction.atomic
def rule_save(
    *, actor: Any, rule: AssessmentRule | None = None, reason: str = "", **values: Any
) -> AssessmentRule:
    """Create a rule (``rule`` None) or change one; only the fields given change."""
    require(actor, Perm.ASSESSMENT_RULE_EDIT)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if rule is None:
        rule = AssessmentRule()
    else:
        rule = AssessmentRule.objects.select_for_update().get(pk=rule.pk)
        if not reason.strip():
            raise ValidationError({"reason": [_("Say why the rule changes.")]})
        code = values.get("code", rule.code)
        if code != rule.code and Entry.objects.filter(rule=rule).exists():
            raise ValidationError(
                {"code": [_("Entries cite this rule by its code; retire it and add a new one.")]}
            )
    changed = [name for name, value in values.items() if getattr(rule, name) != value]
    for name in changed:
        setattr(rule, name, values[name])
    rule.full_clean()
    if rule.pk and not changed:
        return rule
    with audited(actor=actor, reason=reason):
        rule.save()
    return rule
