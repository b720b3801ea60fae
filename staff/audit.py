"""Which of this app's models the audit trail records, and what it must never store in clear."""

from auditlog.registry import auditlog

from .models import Certificate, Department, RosterExport, Staff, User


def hidden(value: str) -> str:
    """What the audit trail shows of a password hash, before and after: that there was one."""
    return "******" if value and value != "None" else ""


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
        "must_change_password",
        "language",  # the notices' and e-mails' language (the top bar's switch)
        "password",  # only that it changed: the hash is never stored (staff.audit.hidden)
    ],
    mask_fields=["password"],
    mask_callable="staff.audit.hidden",
    m2m_fields={"departments"},
)
