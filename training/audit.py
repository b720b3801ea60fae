"""Which training models the audit trail records."""

from auditlog.registry import auditlog

from .models import (
    CategorySkill,
    Course,
    CourseSkill,
    Enrollment,
    PolicyUpdate,
    Session,
    Skill,
    StaffSkill,
    WindowSkillRequirement,
)

auditlog.register(Skill)
auditlog.register(WindowSkillRequirement)
auditlog.register(StaffSkill)
auditlog.register(Course)
auditlog.register(CourseSkill)
auditlog.register(Session)
auditlog.register(Enrollment)
auditlog.register(PolicyUpdate, m2m_fields={"service_items"})
auditlog.register(CategorySkill)
