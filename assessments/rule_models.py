"""Models of the rules fed by the hall's figures (issue #18), imported by ``models.py``:

* :class:`CaseRecord`: a case the case system pushed (``POST /api/v1/feeds/cases/``), with the
  promised deadline computed when written (accepted day + the service item's promised working
  days, ``core.workdays``); overdue is derived (completed after the deadline, or open past it).
* :class:`CaseDeduction`: the proposed deduction for an overdue case, confirmed by the center in
  one step as an assessment entry (``services/cases.py``), like attendance's month deductions.
* :class:`WindowGroupPlace`: the window last in its group (``Window.hall_area``) for a month by the
  red-flag formula, kept by ``services/group_last.py``; read by the joint app's "last in its group
  two months running" trigger and the center's list.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import SystemClient
from staff.models import Department, Staff
from windows.models import ServiceItem, Window


class CaseStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted, in progress")
    COMPLETED = "completed", _("Completed")
    RETURNED = "returned", _("Returned or not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


# a case in these states is no longer counted against anyone
CASE_CLOSED_WITHOUT_COUNT = (CaseStatus.RETURNED, CaseStatus.WITHDRAWN)


class CaseRecord(models.Model):
    case_number = models.CharField(_("case number"), max_length=80, unique=True)
    client = models.ForeignKey(
        SystemClient, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    service_item = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("service item")
    )
    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, related_name="+", verbose_name=_("window")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff"),
    )
    accepted_at = models.DateTimeField(_("accepted at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices)
    promised_working_days = models.PositiveSmallIntegerField(
        _("promised working days"), null=True, blank=True
    )
    deadline = models.DateField(_("promised deadline"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-accepted_at", "id"]

    def __str__(self) -> str:
        return self.case_number

    def completed_on(self) -> date | None:
        return timezone.localdate(self.completed_at) if self.completed_at else None

    def is_overdue(self, today: date | None = None) -> bool:
        """Completed after the deadline, or still open past it (no promise: never)."""
        if self.deadline is None or self.status in CASE_CLOSED_WITHOUT_COUNT:
            return False
        done = self.completed_on()
        if done is not None:
            return done > self.deadline
        return (today or timezone.localdate()) > self.deadline


class CaseDeductionState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    WITHDRAWN = "withdrawn", _("Withdrawn: no longer overdue")


class CaseDeduction(models.Model):
    """One per overdue case: proposed when the case is overdue, withdrawn while unconfirmed when
    it no longer is (corrected by the case system; proposed again if it becomes overdue again),
    recorded once as an entry when confirmed, or dismissed by the center with a reason. Never
    two for one case."""

    case = models.OneToOneField(
        CaseRecord, on_delete=models.CASCADE, related_name="deduction", verbose_name=_("case")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="+", verbose_name=_("staff")
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )
    overdue_days = models.PositiveSmallIntegerField(_("working days overdue"))
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=CaseDeductionState.choices,
        default=CaseDeductionState.PROPOSED,
        db_index=True,
    )
    entry = models.OneToOneField(
        "assessments.Entry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessment entry"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)

    class Meta:
        verbose_name = _("overdue-case deduction")
        verbose_name_plural = _("overdue-case deductions")
        ordering = ["-proposed_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.state}"


class WindowGroupPlace(models.Model):
    """The window with the lowest red-flag score of its group (``Window.hall_area``) in a month,
    one row per (month, window); groups of one window have none. Kept by
    ``services.group_last.group_last_refresh`` (at a month's close and in the daily sweep)."""

    period = models.ForeignKey(
        "assessments.Period", on_delete=models.CASCADE, related_name="+", verbose_name=_("month")
    )
    month = models.DateField(_("month"))  # the period's first day
    window = models.ForeignKey(
        Window, on_delete=models.CASCADE, related_name="+", verbose_name=_("window")
    )
    group = models.CharField(_("hall area"), max_length=50, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    group_size = models.PositiveSmallIntegerField(_("windows in the group"))

    class Meta:
        verbose_name = _("window last in its group")
        verbose_name_plural = _("windows last in their group")
        ordering = ["-month", "group", "window_id"]
        constraints = [
            models.UniqueConstraint(fields=["month", "window"], name="group_place_unique")
        ]
        indexes = [models.Index(fields=["window", "month"], name="group_place_window_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.group} {self.window_id}"
