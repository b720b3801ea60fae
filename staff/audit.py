"""Which of this app's models the audit trail records, and what it must never store in clear."""

from auditlog.registry import auditlog

from .models import Certificate, Department, RosterExport, Staff, User

auditlog.register(Department)
auditlog.register(Staff, mask_fields=["id_number"], mask_callable="staff.idcard.mask")
auditlog.register(Certificate)
auditlog.register(RosterExport, exclude_fields=["done"])
auditlog.register(
    User,
    include_fields=[
        "username",
        "role",
        "is_active",
        "is_superuser",
        "email",
        "first_name",
        "last_name",
    ],
    m2m_fields={"departments"},
)
