"""Which inspection tables the audit trail records."""

from auditlog.registry import auditlog

from .models import ChecklistItem, ChecklistTemplate, Finding, FindingPhoto, Round

auditlog.register(ChecklistTemplate)
auditlog.register(ChecklistItem)
auditlog.register(Round, m2m_fields={"inspectors", "windows"})
auditlog.register(Finding)
auditlog.register(FindingPhoto)
