"""Windows, the service items they handle, and who is stationed at them when.

The windows issue (#3) builds the transfer workflow, vetting and chief-representative rules on top
of these tables; assessments and training read them (which window a person served, when).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import Department, Staff

from .querysets import StationingQuerySet, TransferQuerySet


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


# --- chief representative --------------------------------------------------------------------


class ChiefAppointment(models.Model):
    """The letters that make a stationed person the chief representative (首席代表) of a
    window: the letter of appointment (任命书) and the letter of authorization (授权书), filed by
    the center.
    """

    stationing = models.ForeignKey(
        Stationing,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("stationing"),
    )
    appointment_number = models.CharField(_("letter of appointment number"), max_length=60)
    authorization_number = models.CharField(_("letter of authorization number"), max_length=60)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)

    class Meta:
        verbose_name = _("chief representative appointment")
        verbose_name_plural = _("chief representative appointments")
        ordering = ["-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="appointment_valid_until_after_from",
                violation_error_message=_("The end of validity cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.appointment_number

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class AuthorizedItem(models.Model):
    """One service item in a letter of authorization, with the authority delegated for it."""

    appointment = models.ForeignKey(
        ChiefAppointment,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("appointment"),
    )
    service_item = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("service item")
    )
    can_accept = models.BooleanField(_("acceptance (受理)"), default=True)
    can_review = models.BooleanField(_("review (审查)"), default=False)
    can_decide = models.BooleanField(_("decision (决定)"), default=False)

    class Meta:
        verbose_name = _("authorized service item")
        verbose_name_plural = _("authorized service items")
        ordering = ["service_item__code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "service_item"], name="authorized_item_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(can_accept=True)
                | models.Q(can_review=True)
                | models.Q(can_decide=True),
                name="authorized_item_some_authority",
                violation_error_message=_(
                    "Authorize at least one of acceptance, review, decision."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.service_item)


# --- transfer workflow -----------------------------------------------------------------------


class TransferKind(models.TextChoices):
    STATION = "station", _("Station a new person")
    REPLACE = "replace", _("Replace a person")
    WITHDRAW = "withdraw", _("Withdraw a person")
    ROTATE = "rotate", _("Rotate to another window")


class TransferState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VETTING = "vetting", _("Vetting")
    APPROVED = "approved", _("Approved")
    EFFECTIVE = "effective", _("Effective")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = (
    TransferState.DRAFT,
    TransferState.SUBMITTED,
    TransferState.VETTING,
    TransferState.APPROVED,
)


class Side(models.TextChoices):
    CENTER = "center", _("Center")
    DEPARTMENT = "department", _("Department")


class TransferRequest(models.Model):
    """A request to station, replace, withdraw or rotate window staff. Its state changes only
    through ``windows.services.transfers``; see the transition table there."""

    kind = models.CharField(_("kind"), max_length=10, choices=TransferKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=TransferState.choices, default=TransferState.DRAFT
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("department")
    )
    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("window")
    )
    to_window = models.ForeignKey(
        Window,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_rotations",
        verbose_name=_("rotate to window"),
    )
    outgoing = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outgoing_transfers",
        verbose_name=_("outgoing staff"),
    )
    outgoing_stationing = models.ForeignKey(
        Stationing,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closing_transfers",
        verbose_name=_("stationing to end"),
    )
    incoming = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_transfers",
        verbose_name=_("incoming staff"),
    )
    incoming_post = models.CharField(
        _("post of the incoming person"), max_length=10, choices=Post.choices, default=Post.STAFF
    )
    raised_by = models.CharField(_("raised by"), max_length=10, choices=Side.choices)
    reason = models.TextField(_("reason"))
    early_justification = models.TextField(_("justification for an early transfer"), blank=True)
    is_early = models.BooleanField(_("early transfer"), default=False)
    effective_date = models.DateField(_("proposed effective date"))
    deadline = models.DateField(_("deadline for the department"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    center_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("center consent by"),
    )
    center_consent_at = models.DateTimeField(_("center consent at"), null=True, blank=True)
    department_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department consent by"),
    )
    department_consent_at = models.DateTimeField(_("department consent at"), null=True, blank=True)
    new_stationing = models.ForeignKey(
        Stationing,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opening_transfers",
        verbose_name=_("new stationing"),
    )
    # The center's override of the post and quota rules (windows/rules.py), with its reason.
    override_reason = models.TextField(_("reason for overriding a rule"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("override by"),
    )
    override_at = models.DateTimeField(_("override at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "effective_date"], name="transfer_state_date_idx"),
            models.Index(fields=["department", "state"], name="transfer_dept_state_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def counterparty(self) -> str:
        return Side.DEPARTMENT if self.raised_by == Side.CENTER else Side.CENTER

    @property
    def target_window(self) -> Window:
        return self.to_window if self.kind == TransferKind.ROTATE else self.window

    @property
    def is_overdue(self) -> bool:
        return self.deadline is not None and self.is_open and self.deadline < timezone.localdate()


def attachment_path(instance: TransferAttachment, filename: str) -> str:
    import uuid
    from pathlib import Path

    return f"transfers/{instance.transfer_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class TransferAttachment(models.Model):
    transfer = models.ForeignKey(
        TransferRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("transfer request"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class VettingDecision(models.TextChoices):
    PASS = "pass", _("Passed vetting")
    FAIL = "fail", _("Failed vetting")


class Vetting(models.Model):
    """The center's vetting of the person a transfer would station: political quality
    (政治素质), business ability (业务能力), physical fitness (身体素质)."""

    transfer = models.ForeignKey(
        TransferRequest,
        on_delete=models.PROTECT,
        related_name="vettings",
        verbose_name=_("transfer request"),
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="vettings", verbose_name=_("staff member")
    )
    political_ok = models.BooleanField(_("political quality passed"))
    political_notes = models.TextField(_("notes on political quality"), blank=True)
    ability_ok = models.BooleanField(_("business ability passed"))
    ability_notes = models.TextField(_("notes on business ability"), blank=True)
    fitness_ok = models.BooleanField(_("physical fitness passed"))
    fitness_notes = models.TextField(_("notes on physical fitness"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=VettingDecision.choices)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("vetted by"),
    )
    vetted_at = models.DateTimeField(_("vetted at"), default=timezone.now)

    class Meta:
        verbose_name = _("vetting")
        verbose_name_plural = _("vettings")
        ordering = ["-vetted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="pass")
                | models.Q(political_ok=True, ability_ok=True, fitness_ok=True),
                name="vetting_pass_needs_all_dimensions",
                violation_error_message=_(
                    "A vetting can only pass when all three dimensions pass."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_decision_display()}"


# --- replacement demands ---------------------------------------------------------------------


class ReplacementDemand(models.Model):
    """The center's demand that a home department station a replacement at a window by a due
    date, raised when the center returns a person for poor performance. Fulfilled by the next
    stationing at that window (a transfer of the department taking effect)."""

    window = models.ForeignKey(
        Window,
        on_delete=models.PROTECT,
        related_name="replacement_demands",
        verbose_name=_("window"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="replacement_demands",
        verbose_name=_("department"),
    )
    returned_stationing = models.OneToOneField(
        Stationing,
        on_delete=models.PROTECT,
        related_name="replacement_demand",
        verbose_name=_("returned stationing"),
    )
    reason = models.TextField(_("reason"))
    due_date = models.DateField(_("due date"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("raised by"),
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    fulfilled_by = models.ForeignKey(
        TransferRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fulfilled by"),
    )
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("replacement demand")
        verbose_name_plural = _("replacement demands")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["department", "fulfilled_at"], name="replacement_dept_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.window.code} {self.due_date:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.fulfilled_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


# --- stand-ins (AB岗 / 替岗) ---------------------------------------------------------------------


class StandIn(models.Model):
    """An A/B pair (AB岗): while ``a`` is away (leave, stepping out), ``b`` handles the window's
    business — the whole window, or one of its service items when ``service_item`` is set.

    Valid from ``valid_from`` to ``valid_until`` (inclusive; open when null). Both people are
    stationed at the window, unless ``exception_note`` documents why not (a colleague of a
    neighbouring window of the same department, say). Written only through
    ``windows.services.stand_ins``, which checks the rules.
    """

    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, related_name="stand_ins", verbose_name=_("window")
    )
    service_item = models.ForeignKey(
        ServiceItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service item"),
        help_text=_("Leave empty for the whole window."),
    )
    a = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="stand_ins_as_a", verbose_name=_("A post")
    )
    b = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="stand_ins_as_b",
        verbose_name=_("B post (stand-in)"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    exception_note = models.TextField(
        _("documented exception"),
        blank=True,
        help_text=_("Why a person of this pair is not stationed at the window."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stand-in pair")
        verbose_name_plural = _("stand-in pairs")
        ordering = ["window__code", "service_item__code", "valid_from", "id"]
        indexes = [
            models.Index(fields=["window", "valid_from"], name="standin_window_idx"),
            models.Index(fields=["a", "valid_from"], name="standin_a_idx"),
            models.Index(fields=["b", "valid_from"], name="standin_b_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(a=models.F("b")),
                name="standin_a_b_distinct",
                violation_error_message=_("A and B must be two different people."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="standin_until_after_from",
                violation_error_message=_("The end of validity cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window.code}: {self.a.name} / {self.b.name}"

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)
