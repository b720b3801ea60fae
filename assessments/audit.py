"""Which assessment tables the audit trail records. The rater's phone is masked."""

from auditlog.registry import auditlog

from .models import (
    Appeal,
    AssessmentRule,
    Award,
    Entry,
    Period,
    Rating,
    Rectification,
    Score,
    WindowAssessment,
)

auditlog.register(AssessmentRule)
auditlog.register(Period)
auditlog.register(Entry)
auditlog.register(Score, include_fields=["review_score", "department_grade"])
auditlog.register(Appeal)
auditlog.register(Rating, mask_fields=["rater_phone"])
auditlog.register(Rectification)
auditlog.register(WindowAssessment)
auditlog.register(Award)

# --- issue #18: the case system's cases and the deductions proposed for overdue ones ---
from .rule_models import CaseDeduction, CaseRecord  # noqa: E402

auditlog.register(CaseRecord)
auditlog.register(CaseDeduction)
