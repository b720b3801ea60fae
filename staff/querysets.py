from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import models
from django.db.models.query import ModelIterable
from django.utils import timezone


def active_headcounts(department_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Staff not left, per department id (only ``department_ids`` when given; a department
    without anyone is absent). One query, an index-only scan of ``staff_dept_status_idx``
    (department, status) over the departments asked for; nothing is cached, so a write shows
    at once."""
    from .models import Staff, StaffStatus

    staff = Staff.objects.exclude(status=StaffStatus.LEFT)
    if department_ids is not None:
        staff = staff.filter(department_id__in=list(department_ids))
    return dict(staff.values_list("department_id").annotate(n=models.Count("id")).order_by())


class _WithHeadcount(ModelIterable):
    def __iter__(self):
        departments = list(super().__iter__())
        counts = active_headcounts([d.pk for d in departments]) if departments else {}
        for department in departments:
            department.headcount = counts.get(department.pk, 0)
            yield department


class DepartmentQuerySet(models.QuerySet):
    def active(self) -> DepartmentQuerySet:
        return self.filter(active=True)

    def with_headcount(self) -> DepartmentQuerySet:
        """Each department gets ``headcount`` (staff not left) from :func:`active_headcounts`,
        one query for the departments fetched (a page), instead of a count per row or a
        join that groups every staff row."""
        clone = self._chain()
        clone._iterable_class = _WithHeadcount
        return clone


class StaffQuerySet(models.QuerySet):
    def active(self) -> StaffQuerySet:
        return self.exclude(status="left")

    def for_departments(self, department_ids) -> StaffQuerySet:
        return self.filter(department_id__in=department_ids)

    def search(self, text: str) -> StaffQuerySet:
        """Name or staff number containing ``text`` (any case), or mobile starting with it."""
        text = (text or "").strip()
        if not text:
            return self
        # Text without letters that have a case (Chinese, digits) matches the same with or
        # without case folding; PostgreSQL's UPPER() on every row doubles a full scan's cost.
        contains = "contains" if text.upper() == text.lower() else "icontains"
        return self.filter(
            models.Q(**{f"name__{contains}": text})
            | models.Q(**{f"staff_number__{contains}": text})
            | models.Q(mobile__startswith=text)
        )


class CertificateQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> CertificateQuerySet:
        return self.filter(issued_on__lte=day, expires_on__gte=day)

    def expiring_within(self, days: int, today: date | None = None) -> CertificateQuerySet:
        today = today or timezone.localdate()
        return self.filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=days))
