from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.db.models.query import ModelIterable
from django.utils import timezone

from core import derived


def active_headcounts() -> dict[int, int]:
    """Staff not left, per department id: one aggregate over the staff table, cached
    (``core.derived``) until a staff row is written."""

    def build() -> dict[int, int]:
        from .models import Staff, StaffStatus

        staff = Staff.objects.exclude(status=StaffStatus.LEFT)
        return dict(staff.values_list("department_id").annotate(n=models.Count("id")).order_by())

    return derived.cached("staff.headcounts", None, build, depends_on=("staff.Staff",))


class _WithHeadcount(ModelIterable):
    def __iter__(self):
        counts = active_headcounts()
        for department in super().__iter__():
            department.headcount = counts.get(department.pk, 0)
            yield department


class DepartmentQuerySet(models.QuerySet):
    def active(self) -> DepartmentQuerySet:
        return self.filter(active=True)

    def with_headcount(self) -> DepartmentQuerySet:
        """Each department gets ``headcount`` (staff not left) from :func:`active_headcounts`
        instead of a count over its staff in the query (which reads every staff row for a full
        list)."""
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
