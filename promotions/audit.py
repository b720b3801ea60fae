"""Every promotions row is in the audit trail. Snapshot content is not copied into the log: the
snapshot is immutable and carries its own hash."""

from auditlog.registry import auditlog

from .models import (
    Appraisal,
    EvidenceExport,
    EvidenceSnapshot,
    Recommendation,
    ReferenceRequest,
    RotationPlan,
)

auditlog.register(EvidenceSnapshot, exclude_fields=["content"])
auditlog.register(Recommendation)
auditlog.register(ReferenceRequest)
auditlog.register(Appraisal)
auditlog.register(RotationPlan)
auditlog.register(EvidenceExport, exclude_fields=["done"], m2m_fields={"staff"})
