"""Attendance: the center's working time, punches, each person's derived day, leave, stepping
out, make-up punches and the month's proposed deductions (issue #17).

Long because: one schema — working-time exceptions, punches, the derived day, leave with its
approvals, stepping out, make-up punches, the month's deductions — that the day derivation and the
month end read together."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import SystemClient
from staff.models import Department, Staff
from windows.models import Window


class ExceptionKind(models.TextChoices):
    EXTENDED = "extended", _("Extended hours")
    SERVICE_DAY = "service_day", _("Weekend service day")
    CLOSED = "closed", _("No service (day off)")


class ScheduleException(models.Model):
    """Another schedule on one date, for the whole center (no window) or one window; the
    window's row wins over the center's. ``closed`` makes a working day a day off."""

    date = models.DateField(_("date"))
    window = models.ForeignKey(
        Window,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
        help_text=_("Empty: the whole center."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExceptionKind.choices)
    schedule = models.CharField(
        _("schedule"),
        max_length=30,
        blank=True,
        help_text=_("A schedule of the settings; empty: “extended” or “weekend” by kind."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("working-time exception")
        verbose_name_plural = _("working-time exceptions")
        ordering = ["-date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["date", "window"], name="schedule_exception_unique"),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(window__isnull=True),
                name="schedule_exception_center_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        names = settings.CENTER["ATTENDANCE"]["SCHEDULES"]
        if self.schedule and self.schedule not in names:
            raise ValidationError(
                {
                    "schedule": _("Unknown schedule; the settings name: %(names)s.")
                    % {"names": ", ".join(names)}
                }
            )


class PunchMethod(models.TextChoices):
    FINGERPRINT = "fingerprint", _("Fingerprint")
    FACE = "face", _("Face")
    CARD = "card", _("Door card")
    MAKEUP = "makeup", _("Make-up punch")
    OTHER = "other", pgettext_lazy("punch method", "Other")


class Punch(models.Model):
    """One clock-in as the device recorded it. ``source`` + ``record_id`` is the device's own
    key (a terminal's client, or the file's device name): a repeat is ignored."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="punches", verbose_name=_("staff member")
    )
    at = models.DateTimeField(_("time"))
    device = models.CharField(_("device"), max_length=60, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=PunchMethod.choices)
    source = models.CharField(_("source"), max_length=120)
    record_id = models.CharField(_("record id"), max_length=80)
    client = models.ForeignKey(
        SystemClient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("system client"),
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("punch")
        verbose_name_plural = _("punches")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "record_id"], name="punch_source_record")
        ]
        indexes = [models.Index(fields=["staff", "at"], name="punch_staff_at_idx")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.at:%Y-%m-%d %H:%M}"


class DayStatus(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    MISSING = "missing_punch", _("Missing punch")
    ABSENT = "absent", _("Absent")
    ON_LEAVE = "on_leave", _("On leave")
    ON_DUTY = "on_duty", _("On duty elsewhere")


class AttendanceDay(models.Model):
    """A person's working day as derived from punches, leave and stepping out
    (``attendance.services.days.days_derive``; a rerun on the same data changes nothing)."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="attendance_days", verbose_name=_("staff")
    )
    date = models.DateField(_("date"))
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )
    window = models.ForeignKey(
        Window,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
    )
    status = models.CharField(_("status"), max_length=20, choices=DayStatus.choices)
    late = models.PositiveSmallIntegerField(_("late arrivals"), default=0)
    late_minutes = models.PositiveIntegerField(_("minutes late"), default=0)
    left_early = models.PositiveSmallIntegerField(_("early departures"), default=0)
    missing = models.PositiveSmallIntegerField(_("missing punches"), default=0)
    absent_halves = models.PositiveSmallIntegerField(_("half days absent"), default=0)
    step_out_overdue = models.PositiveSmallIntegerField(_("overdue stepping out"), default=0)
    # per punch of the schedule: {"code", "kind", "at" (HH:MM), "punch" (HH:MM or null), "result"}
    checks = models.JSONField(_("punches of the day"), default=list)
    # a hash of every derived field (``days.signature``): a rerun compares it instead of loading
    # and parsing two million rows, and writes only the days whose signature changed
    signature = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("attendance day")
        verbose_name_plural = _("attendance days")
        ordering = ["date", "staff_id"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "date"], name="attendance_day_unique")
        ]
        indexes = [
            models.Index(fields=["department", "date"], name="attendance_day_dept_idx"),
            models.Index(fields=["date", "status"], name="attendance_day_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.date:%Y-%m-%d} {self.status}"


class LeaveCategory(models.TextChoices):
    PUBLIC_DUTY = "public_duty", _("Public duty")
    PERSONAL = "personal", _("Personal leave")
    SICK = "sick", _("Sick leave")
    ANNUAL = "annual", _("Annual leave")
    MARRIAGE = "marriage", _("Marriage leave")
    MATERNITY = "maternity", _("Maternity leave")
    PATERNITY = "paternity", _("Paternity leave")
    BEREAVEMENT = "bereavement", _("Bereavement leave")


class Half(models.TextChoices):
    AM = "am", _("Morning")
    PM = "pm", _("Afternoon")


class LeaveStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("leave", "Pending")
    APPROVED = "approved", pgettext_lazy("leave", "Approved")
    REJECTED = "rejected", pgettext_lazy("leave", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("leave", "Withdrawn")
    RETURNED = "returned", pgettext_lazy("leave", "Returned (closed)")


class LeaveStep(models.TextChoices):
    CHIEF = "chief", _("Chief representative")
    CENTER = "center", _("Center")
    DEPARTMENT = "department", _("Home department")


class LeaveRequest(models.Model):
    """Leave from ``start_date`` (``start_half``) to ``end_date`` (``end_half``) inclusive. Its
    approval steps are fixed when it is asked (``steps``, from the tiers in the settings)."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="leave_requests", verbose_name=_("staff")
    )
    category = models.CharField(_("category"), max_length=20, choices=LeaveCategory.choices)
    start_date = models.DateField(_("from"))
    start_half = models.CharField(
        _("from (half day)"), max_length=2, choices=Half.choices, default=Half.AM
    )
    end_date = models.DateField(_("to"))
    end_half = models.CharField(
        _("to (half day)"), max_length=2, choices=Half.choices, default=Half.PM
    )
    days = models.DecimalField(_("working days"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("reason"))
    stand_in = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="standing_in_for",
        verbose_name=_("stand-in"),
    )
    steps = models.JSONField(_("approval steps"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    returned_on = models.DateField(_("back on"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["staff", "start_date"], name="leave_staff_start_idx")]

    def __str__(self) -> str:
        return f"{self.staff} {self.start_date:%Y-%m-%d}–{self.end_date:%Y-%m-%d}"

    @property
    def next_step(self) -> str | None:
        done = {a.step for a in self.approvals.all() if a.approved}
        if self.status != LeaveStatus.PENDING:
            return None
        return next((s for s in self.steps if s not in done), None)


class LeaveApproval(models.Model):
    leave = models.ForeignKey(
        LeaveRequest, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("leave")
    )
    step = models.CharField(_("step"), max_length=20, choices=LeaveStep.choices)
    approved = models.BooleanField(_("approved"))
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("leave decision")
        verbose_name_plural = _("leave decisions")
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["leave", "step"], name="leave_approval_step_unique")
        ]

    def __str__(self) -> str:
        return f"{self.leave_id} {self.step} {self.approved}"


class StepOut(models.Model):
    """Stepping out during working hours: registered when leaving and when back. Overdue once
    away longer than ``STEP_OUT_OVERDUE_MINUTES`` (read live: ``querysets``)."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="step_outs", verbose_name=_("staff")
    )
    out_at = models.DateTimeField(_("out at"))
    back_at = models.DateTimeField(_("back at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    destination = models.CharField(_("destination"), max_length=200)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("stepping out")
        verbose_name_plural = _("stepping out")
        ordering = ["-out_at", "-id"]
        indexes = [models.Index(fields=["staff", "out_at"], name="stepout_staff_out_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=models.Q(back_at__isnull=True),
                name="stepout_one_open_per_staff",
                violation_error_message=_("This person is already out."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.out_at:%Y-%m-%d %H:%M}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("request", "Pending")
    APPROVED = "approved", pgettext_lazy("request", "Approved")
    REJECTED = "rejected", pgettext_lazy("request", "Rejected")


class MakeupRequest(models.Model):
    """A punch the person forgot, asked with a reason and approved by the center; approval
    records it as a punch (method ``makeup``)."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="makeup_requests", verbose_name=_("staff")
    )
    at = models.DateTimeField(_("punch time"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("make-up punch request")
        verbose_name_plural = _("make-up punch requests")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.at:%Y-%m-%d %H:%M}"


class DeductionKind(models.TextChoices):
    LATE = "late", _("Late arrivals")
    LEFT_EARLY = "left_early", _("Early departures")
    MISSING = "missing_punch", _("Missing punches")
    ABSENT = "absent", _("Absence (half days)")
    STEP_OUT = "step_out_overdue", _("Overdue stepping out")


class DeductionState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")


class MonthDeduction(models.Model):
    """What the month's attendance days add up to for one person and kind, proposed by
    ``deductions_propose`` and recorded as an assessment entry by ``deductions_confirm``. One row
    per (person, month, kind): a rerun updates a proposal, never a confirmed row."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="+", verbose_name=_("staff")
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )
    month = models.DateField(_("month"))  # its first day
    kind = models.CharField(_("kind"), max_length=20, choices=DeductionKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    state = models.CharField(
        _("state"), max_length=20, choices=DeductionState.choices, default=DeductionState.PROPOSED
    )
    entry = models.OneToOneField(
        "assessments.Entry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessment entry"),
    )

    class Meta:
        verbose_name = _("attendance deduction")
        verbose_name_plural = _("attendance deductions")
        ordering = ["month", "department_id", "staff_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "month", "kind"], name="month_deduction_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.month:%Y-%m} {self.kind} ×{self.quantity}"
