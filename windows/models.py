"""Windows, the service items they handle, and who is stationed at them when.

The windows issue (#3) builds the transfer workflow, vetting and chief-representative rules on top
of these tables; assessments and training read them (which window a person served, when).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from staff.models import Department, Staff


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


class EndReason(models.TextChoices):
    TRANSFER = "transfer", _("Transferred")
    ROTATION = "rotation", _("Rotated to another window")
    WITHDRAWN = "withdrawn", _("Withdrawn by the department")
    RETURNED = "returned", _("Returned for poor performance")
    LEFT = "left", _("Left the service")


class Stationing(models.Model):
    """A person at a window from ``start_date`` to ``end_date`` (open while ``end_date`` is null).

    Tenure is derived from the dates, never stored. The database refuses a second open stationing
    for one person (and, on PostgreSQL, overlapping periods — added by the windows issue).
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
