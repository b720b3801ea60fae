"""Windows, the service items they handle, and who is stationed at them when (the stationing
and its tenure in calendar months)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import Department, Staff

from ..querysets import StationingQuerySet


class ServiceItem(models.Model):
    """An administrative service (事项) a department handles at the center."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="service_items",
        verbose_name=_("department"),
    )
    is_licensing = models.BooleanField(_("administrative licensing"), default=False)
    active = models.BooleanField(_("active"), default=True)
    # issue #18: the time limit promised to the public (承诺时限); empty: no promise
    promised_working_days = models.PositiveSmallIntegerField(
        _("promised working days"),
        null=True,
        blank=True,
        help_text=_("The time limit promised to the public, in working days; empty: no promise."),
    )

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["code", "id"]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    hall_area = models.CharField(_("hall area"), max_length=50, blank=True)
    floor = models.PositiveSmallIntegerField(_("floor"), default=1)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="windows", verbose_name=_("department")
    )
    service_items = models.ManyToManyField(
        ServiceItem, related_name="windows", blank=True, verbose_name=_("service items")
    )
    headcount_quota = models.PositiveSmallIntegerField(_("headcount quota"), default=2)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["code", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Post(models.TextChoices):
    CHIEF_REPRESENTATIVE = "chief", _("Chief representative")
    STAFF = "staff", _("Window staff")
    BACKUP = "backup", _("Backup (B-post)")
    INTAKE = "intake", _("Intake (受理)")
    CONSULTING = "consulting", _("Consulting (咨询)")
    AUXILIARY = "auxiliary", _("Auxiliary (辅助)")


class EndReason(models.TextChoices):
    TRANSFER = "transfer", _("Transferred")
    ROTATION = "rotation", _("Rotated to another window")
    WITHDRAWN = "withdrawn", _("Withdrawn by the department")
    RETURNED = "returned", _("Returned for poor performance")
    LEFT = "left", _("Left the service")


class Stationing(models.Model):
    """A person at a window from ``start_date`` to ``end_date`` (open while ``end_date`` is null).

    ``end_date`` is the day the person left (exclusive): the period is ``[start_date, end_date)``,
    so a transfer effective on day D ends the old stationing on D and starts the new one on D.
    Tenure is derived from the dates, never stored. The database refuses a second open stationing
    for one person and, on PostgreSQL, overlapping periods (``windows/constraints.py``).
    """

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="stationings", verbose_name=_("staff member")
    )
    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, related_name="stationings", verbose_name=_("window")
    )
    post = models.CharField(_("post"), max_length=10, choices=Post.choices, default=Post.STAFF)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    is_early_end = models.BooleanField(_("early transfer"), default=False)

    objects = StationingQuerySet.as_manager()

    class Meta:
        verbose_name = _("stationing")
        verbose_name_plural = _("stationings")
        ordering = ["-start_date", "id"]
        indexes = [
            models.Index(fields=["window", "end_date"], name="stationing_window_open_idx"),
            models.Index(fields=["staff", "start_date"], name="stationing_staff_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=models.Q(end_date__isnull=True),
                name="stationing_one_open_per_staff",
                violation_error_message=_("This person already has an open stationing."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="stationing_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} @ {self.window}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    def tenure_months(self, on: date | None = None) -> int:
        """Whole months at this window up to ``on`` (today by default) or the end date."""
        return months_between(self.start_date, self.end_date or on or timezone.localdate())


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
