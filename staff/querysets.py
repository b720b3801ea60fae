from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils import timezone


class DepartmentQuerySet(models.QuerySet):
    def active(self) -> DepartmentQuerySet:
        return self.filter(active=True)


class StaffQuerySet(models.QuerySet):
    def active(self) -> StaffQuerySet:
        return self.exclude(status="left")

    def for_departments(self, department_ids) -> StaffQuerySet:
        return self.filter(department_id__in=department_ids)

    def search(self, text: str) -> StaffQuerySet:
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            models.Q(name__icontains=text)
            | models.Q(staff_number__icontains=text)
            | models.Q(mobile__startswith=text)
        )


class CertificateQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> CertificateQuerySet:
        return self.filter(issued_on__lte=day, expires_on__gte=day)

    def expiring_within(self, days: int, today: date | None = None) -> CertificateQuerySet:
        today = today or timezone.localdate()
        return self.filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=days))
