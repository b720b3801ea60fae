"""Reads, always through the user's scope (see ``permissions.scope``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import (
    PARTY_STATUSES,
    PRESENT_STATUSES,
    CenterRole,
    Certificate,
    Department,
    EmploymentType,
    Gender,
    Staff,
    StaffStatus,
)
from .permissions import scope


def department_list_for_user(user: Any) -> QuerySet[Department]:
    """Departments the user may see, each with its active ``headcount``, counted for the
    departments fetched only, over an index (``querysets.active_headcounts``)."""
    return scope(Department.objects.with_headcount(), user, department="id").order_by("code", "id")


def department_options_for_user(user: Any) -> list[tuple[int, str]]:
    """``(id, display name)`` of the departments the user may see, in code order, for filter
    drop-downs: no headcount (a count over every person). One query."""
    rows = scope(Department.objects.order_by("code", "id"), user, department="id")
    return [(pk, short or name) for pk, short, name in rows.values_list("id", "short_name", "name")]


def department_get_for_user(user: Any, pk: int) -> Department:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(department_list_for_user(user), pk=pk)


def staff_list_for_user(user: Any) -> QuerySet[Staff]:
    """Staff the user may see: center and HR everyone, a liaison their departments, staff
    themselves. The department is joined so lists never query per row."""
    return scope(Staff.objects.select_related("department"), user, person="")


def staff_get_for_user(user: Any, pk: int) -> Staff:
    """Raises Http404 when the person is out of the user's scope, whether or not it exists."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(staff_list_for_user(user).select_related("user"), pk=pk)


def certificate_list_for_staff(staff: Staff) -> QuerySet[Certificate]:
    return staff.certificates.order_by("-expires_on", "id")


def certificate_list_for_user(user: Any) -> QuerySet[Certificate]:
    """Certificates of the people the user may see (a liaison: their departments' people;
    window staff: their own), each with its holder and the holder's department joined."""
    qs = Certificate.objects.select_related("staff__department")
    return scope(qs, user, department="staff__department", person="staff").order_by(
        "staff__staff_number", "-expires_on", "id"
    )


def composition(user: Any) -> dict[str, int]:
    """The source article's headcount figures, in one query."""
    qs = staff_list_for_user(user).filter(status__in=PRESENT_STATUSES)
    return qs.aggregate(
        total=Count("id"),
        management=Count("id", filter=Q(center_role=CenterRole.MANAGEMENT)),
        supervision=Count("id", filter=Q(center_role=CenterRole.SUPERVISION)),
        window=Count("id", filter=Q(center_role=CenterRole.WINDOW)),
        temporary=Count("id", filter=Q(employment_type=EmploymentType.TEMPORARY)),
        women=Count("id", filter=Q(gender=Gender.FEMALE)),
        party_members=Count("id", filter=Q(political_status__in=PARTY_STATUSES)),
    )


def staff_by_department(user: Any, limit: int = 15) -> list[dict[str, Any]]:
    qs = staff_list_for_user(user).exclude(status=StaffStatus.LEFT)
    rows = (
        qs.values("department__name", "department__short_name")
        .annotate(n=Count("id"))
        .order_by("-n", "department__name")[:limit]
    )
    return [
        {"label": r["department__short_name"] or r["department__name"], "value": r["n"]}
        for r in rows
    ]


def employment_type_counts(user: Any) -> dict[str, int]:
    """People not left per employment type key, in the types' order (the dashboard's pie,
    stored in its snapshot without labels). One query."""
    qs = staff_list_for_user(user).exclude(status=StaffStatus.LEFT)
    counts = dict(qs.values_list("employment_type").annotate(n=Count("id")).order_by())
    return {key: counts[key] for key in EmploymentType.values if counts.get(key)}


def staff_by_employment_type(user: Any) -> list[dict[str, Any]]:
    labels = dict(EmploymentType.choices)
    return [{"label": str(labels[k]), "value": n} for k, n in employment_type_counts(user).items()]


def compliance(user: Any) -> dict[str, Any]:
    """Counts for the dashboard's compliance panel (grows as the windows app lands)."""
    today = timezone.localdate()
    people = staff_list_for_user(user).exclude(status=StaffStatus.LEFT)
    figures = people.aggregate(
        temporary=Count("id", filter=Q(employment_type=EmploymentType.TEMPORARY)),
        retired_rehired=Count("id", filter=Q(employment_type=EmploymentType.RETIRED_REHIRED)),
        second_line=Count("id", filter=Q(status=StaffStatus.SECOND_LINE)),
    )
    figures["certificate_expired"] = _all_certificates_expired(people, today).count()
    figures["certificate_expiring"] = _certificates_expiring(people, today).count()
    return figures


def _all_certificates_expired(people: QuerySet[Staff], today: date) -> QuerySet[Staff]:
    """People who hold certificates, none of them valid today."""
    valid = Certificate.objects.filter(issued_on__lte=today, expires_on__gte=today)
    return people.filter(pk__in=Certificate.objects.values("staff_id")).exclude(
        pk__in=valid.values("staff_id")
    )


def _certificates_expiring(people: QuerySet[Staff], today: date) -> QuerySet[Certificate]:
    return Certificate.objects.filter(staff__in=people).expiring_within(
        _setting("CERTIFICATE_WARNING_DAYS"), today
    )


#: The figures of :func:`compliance` whose people or certificates the dashboard lists.
CERTIFICATE_KINDS = ("certificate_expired", "certificate_expiring")


def compliance_rows(user: Any, kind: str, today: date | None = None) -> QuerySet:
    """What stands behind one certificate figure of :func:`compliance`: the people whose
    certificates have all expired, or the certificates expiring soon (with their holder).
    ``KeyError`` for another ``kind``."""
    today = today or timezone.localdate()
    people = staff_list_for_user(user).exclude(status=StaffStatus.LEFT)
    if kind == "certificate_expired":
        return _all_certificates_expired(people, today).order_by("department__name", "name", "id")
    if kind == "certificate_expiring":
        return (
            _certificates_expiring(people, today)
            .select_related("staff__department")
            .order_by("expires_on", "staff__name", "id")
        )
    raise KeyError(kind)


def _setting(key: str) -> Any:
    from django.conf import settings

    return settings.CENTER[key]
