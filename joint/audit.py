"""Audit registration. The confidential text of a talk (topics, concerns, notes) and of its
follow-ups is kept out of the audit log: the audit trail page is readable by every center
administrator, while a private talk is readable only by its author and center leadership."""

from auditlog.registry import auditlog

from .models import FollowUp, Talk, TalkRequest, Visit

auditlog.register(Visit, m2m_fields={"windows", "visitor_users"})
auditlog.register(Talk, exclude_fields=["topics", "concerns", "notes"])
auditlog.register(FollowUp, exclude_fields=["description", "resolution"])
auditlog.register(TalkRequest, exclude_fields=["message"])
