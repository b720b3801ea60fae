"""Every write to departments, staff and certificates. Views, the API, imports and commands all
come through here, so each change is validated the same way and attributed in the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited

from . import idcard
from .models import Certificate, Department, EmploymentType, Role, Staff
from .permissions import Perm, can_use_department, has_perm, role_of

STAFF_FIELDS = (
    "staff_number",
    "name",
    "gender",
    "date_of_birth",
    "id_number",
    "mobile",
    "political_status",
    "employment_type",
    "rank",
    "education",
    "department",
    "center_role",
    "status",
    "is_reserve_cadre",
    "user",
)


def _require(actor: Any, perm: str) -> None:
    if actor is not None and not has_perm(actor, perm):
        raise PermissionDenied(_("You are not allowed to do this."))


def _require_department(actor: Any, department: Department | None) -> None:
    if (
        actor is not None
        and department is not None
        and not can_use_department(actor, department.pk)
    ):
        raise PermissionDenied(_("You may only manage staff of your own department."))


def clean_staff(staff: Staff, *, check_database: bool = True) -> None:
    """Normalize and validate a person; raises ValidationError with translated messages.

    ``check_database=False`` skips the uniqueness and constraint queries, for callers (the roster
    import) that have checked uniqueness for a whole file at once."""
    staff.id_number = idcard.normalize(staff.id_number)
    staff.staff_number = (staff.staff_number or "").strip()
    staff.name = (staff.name or "").strip()
    born = idcard.birth_date(staff.id_number) if len(staff.id_number) == 18 else None
    if staff.date_of_birth is None and born is not None:
        staff.date_of_birth = born
    staff.full_clean(
        exclude=None if check_database else ["department", "user"],  # FKs resolved by the caller
        validate_unique=check_database,
        validate_constraints=check_database,
    )
    if born is not None and staff.date_of_birth != born:
        raise ValidationError(
            {"date_of_birth": _("The date of birth does not match the ID number.")}
        )


@transaction.atomic
def staff_create(*, actor: Any, reason: str = "", **fields: Any) -> Staff:
    """Create a person. Raises PermissionDenied outside the actor's departments, ValidationError
    on bad data; nothing is written in either case."""
    _require(actor, Perm.STAFF_EDIT)
    unknown = set(fields) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    staff = Staff(**fields)
    _require_department(actor, staff.department if staff.department_id else None)
    clean_staff(staff)
    with audited(actor=actor, reason=reason):
        staff.save()
    return staff


@transaction.atomic
def staff_update(*, actor: Any, staff: Staff, reason: str = "", **fields: Any) -> Staff:
    """Change a person. Locks the row; a liaison can neither edit another department's person nor
    move a person into a department that is not theirs."""
    _require(actor, Perm.STAFF_EDIT)
    unknown = set(fields) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    locked = Staff.objects.select_for_update().get(pk=staff.pk)
    _require_department(actor, locked.department)
    before = locked.employment_type
    for name, value in fields.items():
        setattr(locked, name, value)
    _require_department(actor, locked.department)
    if locked.employment_type != before:
        refusal = employment_type_refusal(actor) or certificate_held_refusal(locked)
        if refusal:
            raise ValidationError({"employment_type": [refusal]})
        change = _("Employment type changed from %(old)s to %(new)s") % {
            "old": EmploymentType(before).label if before in EmploymentType.values else before,
            "new": locked.get_employment_type_display(),
        }
        reason = f"{reason} · {change}" if reason else change
    clean_staff(locked)
    with audited(actor=actor, reason=reason):
        locked.save()
    return locked


def certificate_held_refusal(staff: Staff) -> str:
    """A person who holds a certificate not yet expired (valid today, or dated to begin later)
    cannot become a temporary hire (:func:`certificate_refusal`): end the certificate first
    (:func:`certificate_expire`)."""
    if not certificate_refusal(staff):
        return ""
    if not staff.certificates.filter(expires_on__gte=timezone.localdate()).exists():
        return ""
    return _(
        "%(name)s holds a valid law-enforcement certificate, which temporary hires may not "
        "hold: end the certificate first."
    ) % {"name": staff.name}


def employment_type_refusal(actor: Any) -> str:
    """Why ``actor`` may not change a person's employment type (``""``: may). Only the center
    administrator (and the system) may: the chief-representative and post rules read it."""
    if actor is None or role_of(actor) == Role.CENTER_ADMIN:
        return ""
    return _("Only the center administrator may change a person's employment type.")


def certificate_refusal(staff: Staff) -> str:
    """Why ``staff`` may not hold a law-enforcement certificate (``""``: may). Certificates go
    only to permanent staff; temporary hires may only do auxiliary work (domain/RULES.md,
    Administrative Licensing Law arts. 22–26)."""
    if staff.employment_type == EmploymentType.TEMPORARY:
        return _(
            "%(name)s is a temporary hire: temporary hires may not hold a law-enforcement "
            "certificate (they may only do auxiliary work)."
        ) % {"name": staff.name}
    return ""


@transaction.atomic
def certificate_add(
    *, actor: Any, staff: Staff, number: str, issued_on: date, expires_on: date, reason: str = ""
) -> Certificate:
    """Record a law-enforcement certificate for a person in the actor's scope. Refuses a
    temporary hire (:func:`certificate_refusal`)."""
    _require(actor, Perm.CERTIFICATE_EDIT)
    _require_department(actor, staff.department)
    refusal = certificate_refusal(staff)
    if refusal:
        raise ValidationError({"staff": [refusal]})
    certificate = Certificate(
        staff=staff, number=(number or "").strip(), issued_on=issued_on, expires_on=expires_on
    )
    certificate.full_clean()
    with audited(actor=actor, reason=reason):
        certificate.save()
    return certificate


CERTIFICATE_FIELDS = ("number", "issued_on", "expires_on")


@transaction.atomic
def certificate_update(
    *, actor: Any, certificate: Certificate, reason: str = "", **fields: Any
) -> Certificate:
    """Correct a certificate's number or dates (its holder never changes). Locks the row; the
    holder must be in the actor's departments and may not be a temporary hire."""
    _require(actor, Perm.CERTIFICATE_EDIT)
    unknown = set(fields) - set(CERTIFICATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    locked = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("staff__department")
        .get(pk=certificate.pk)
    )
    _require_department(actor, locked.staff.department)
    refusal = certificate_refusal(locked.staff)
    if refusal:
        raise ValidationError({"staff": [refusal]})
    for name, value in fields.items():
        setattr(locked, name, value.strip() if name == "number" else value)
    locked.full_clean()
    with audited(actor=actor, reason=reason):
        locked.save()
    return locked


@transaction.atomic
def certificate_expire(
    *, actor: Any, certificate: Certificate, last_day: date, reason: str
) -> Certificate:
    """End a certificate early (withdrawn, surrendered, the holder no longer qualified): it is
    valid through ``last_day`` and no longer. A written reason is required; a certificate that
    expires by then already is refused. Allowed whoever the holder is (a temporary hire's
    certificate can always be withdrawn)."""
    _require(actor, Perm.CERTIFICATE_EDIT)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for ending the certificate.")]})
    locked = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("staff__department")
        .get(pk=certificate.pk)
    )
    _require_department(actor, locked.staff.department)
    if locked.expires_on <= last_day:
        raise ValidationError(
            {
                "last_day": [
                    _("The certificate expires on %(date)s already.")
                    % {"date": locked.expires_on.isoformat()}
                ]
            }
        )
    locked.expires_on = last_day
    locked.full_clean()  # the expiry stays after the issue date
    with audited(
        actor=actor,
        reason=_("Law-enforcement certificate ended early: %(reason)s") % {"reason": reason},
    ):
        locked.save(update_fields=["expires_on"])
    return locked


@transaction.atomic
def department_create(*, actor: Any, code: str, name: str, short_name: str = "") -> Department:
    _require(actor, Perm.DEPARTMENT_EDIT)
    department = Department(code=code.strip(), name=name.strip(), short_name=short_name.strip())
    department.full_clean()
    with audited(actor=actor):
        department.save()
    return department
