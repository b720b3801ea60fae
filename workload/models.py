"""Workload from the hall's queue-and-call and case systems (issue #18).

``WorkloadRecord`` is one person's count of one kind (cases handled, tickets called, enquiries
answered, assisted filings) on one day, for one service item or none; a repeat of the same key
replaces the count. Points are applied at write time: ``points = count × the item's weight ×
the kind's weight`` is stored on the record, and the monthly rows ``StaffWorkloadMonth`` and
``WindowWorkloadMonth`` (counts per kind and points) are kept by the services in the same
transaction, so no page sums raw records. A weight change re-prices the records of its item from
a chosen month on and moves the monthly points by the difference (``services.item_weight_set``).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import SystemClient
from staff.models import Staff
from windows.models import ServiceItem, Window


class WorkloadKind(models.TextChoices):
    CASES = "cases", _("cases handled")
    TICKETS = "tickets", _("tickets called")
    ENQUIRIES = "enquiries", _("enquiries answered")
    ASSISTED = "assisted", _("assisted filings")


KINDS = [k.value for k in WorkloadKind]


class ItemWeight(models.Model):
    """How hard a service item's business is: each unit of workload on it counts ``weight``
    points (1 without a row). Edited by the center; its history is the audit trail."""

    service_item = models.OneToOneField(
        ServiceItem,
        on_delete=models.CASCADE,
        related_name="workload_weight",
        verbose_name=_("service item"),
    )
    weight = models.DecimalField(
        _("difficulty weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = _("difficulty weight")
        verbose_name_plural = _("difficulty weights")
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="item_weight_positive")
        ]

    def __str__(self) -> str:
        return f"{self.service_item_id}: {self.weight}"


class WorkloadRecord(models.Model):
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
        db_index=False,  # the unique keys start with it
    )
    window = models.ForeignKey(
        Window,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("window"),
        db_index=False,  # workload_window_month_idx starts with it
    )
    service_item = models.ForeignKey(
        ServiceItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service item"),
        db_index=False,  # workload_item_month_idx starts with it
    )
    date = models.DateField(_("date"))
    month = models.DateField(_("month"))  # the first day of ``date``'s month
    kind = models.CharField(_("kind"), max_length=12, choices=WorkloadKind.choices)
    count = models.PositiveIntegerField(_("count"))
    points = models.DecimalField(_("weighted points"), max_digits=14, decimal_places=2)
    client = models.ForeignKey(
        SystemClient,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("system client"),
        db_index=False,  # clients are revoked, not deleted: no index for a rare delete
    )
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("workload record")
        verbose_name_plural = _("workload records")
        constraints = [
            # Not partial, so that it also serves look-ups by person and date (NULL items are
            # distinct in it; the next one keeps a single record without an item).
            models.UniqueConstraint(
                fields=["staff", "date", "kind", "service_item"],
                name="workload_record_item_unique",
            ),
            models.UniqueConstraint(
                fields=["staff", "date", "kind"],
                condition=models.Q(service_item__isnull=True),
                name="workload_record_no_item_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["service_item", "month"], name="workload_item_month_idx"),
            models.Index(fields=["window", "month"], name="workload_window_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.date} {self.kind} {self.count}"


class _MonthCounts(models.Model):
    # Plain integers (no CHECK): the services add signed differences in one upsert.
    month = models.DateField(_("month"))
    cases = models.IntegerField(_("cases handled"), default=0)
    tickets = models.IntegerField(_("tickets called"), default=0)
    enquiries = models.IntegerField(_("enquiries answered"), default=0)
    assisted = models.IntegerField(_("assisted filings"), default=0)
    points = models.DecimalField(
        _("weighted points"), max_digits=16, decimal_places=2, default=Decimal(0)
    )

    class Meta:
        abstract = True


class StaffWorkloadMonth(_MonthCounts):
    """One person's month (kept by the workload services with every write)."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "month"], name="staff_workload_month_unique")
        ]
        indexes = [models.Index(fields=["month", "staff"], name="staff_workload_month_idx")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.month:%Y-%m}: {self.points}"


class WindowWorkloadMonth(_MonthCounts):
    """One window's month (kept by the workload services with every write)."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["window", "month"], name="window_workload_month_unique")
        ]
        indexes = [models.Index(fields=["month", "window"], name="window_workload_month_idx")]

    def __str__(self) -> str:
        return f"{self.window_id} {self.month:%Y-%m}: {self.points}"
