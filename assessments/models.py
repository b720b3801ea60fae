"""Rules, periods, deduction/bonus entries, scores, appeals, citizen ratings (好差评),
rectification cases and awards.

A monthly score is derived from its entries and can be recomputed at any time
(``services.scores.score_recompute``); the Score row is a cache with a breakdown, never a source.

Long because: one schema — the rule table, periods, entries and their evidence, scores and the
totals kept beside them, appeals, ratings and their rectification cases, awards — whose models
point at each other and are read together as a score's sources and what derives from them. The
additions of issue #18 live in ``rule_models.py`` and ``rating_models.py``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.models import Department, Staff
from windows.models import ServiceItem, Window

ZERO = Decimal("0")


class RuleCategory(models.TextChoices):
    DISCIPLINE = "discipline", _("Work discipline")
    SERVICE_CONDUCT = "service_conduct", _("Service conduct")
    EFFICIENCY = "efficiency", _("Efficiency")
    BUSINESS_QUALITY = "business_quality", _("Business quality")
    CITIZEN_RATING = "citizen_rating", _("Citizen ratings")
    COMMENDATION = "commendation", _("Commendation")
    OTHER = "other", _("Other")


class RuleUnit(models.TextChoices):
    OCCURRENCE = "occurrence", _("per occurrence")
    CASE = "case", _("per case")
    WORKING_DAY = "working_day", _("per working day")
    HALF_DAY = "half_day", _("per half day")


class RuleKind(models.TextChoices):
    DEDUCTION = "deduction", _("Deduction")
    BONUS = "bonus", _("Bonus")


class AssessmentRule(models.Model):
    """One line of the center's rule table: what costs (or earns) how many points."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    category = models.CharField(_("category"), max_length=30, choices=RuleCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=RuleUnit.choices)
    kind = models.CharField(
        _("deduction or bonus"), max_length=10, choices=RuleKind.choices, default=RuleKind.DEDUCTION
    )
    evidence_required = models.BooleanField(_("evidence required"), default=True)
    joint_liability = models.BooleanField(
        _("joint liability"),
        default=False,
        help_text=_("A deduction on a window passes a share to its chief representative."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assessment rule")
        verbose_name_plural = _("assessment rules")
        ordering = ["code", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(points__gt=0), name="rule_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class PeriodStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("assessment period", "Open")
    CLOSED = "closed", _("Closed")


class Period(models.Model):
    """A month, quarter or year. Closing freezes its scores."""

    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("month, quarter or 1"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    bonus_cap = models.DecimalField(_("bonus cap"), max_digits=5, decimal_places=2, default=5)
    monthly_weight = models.DecimalField(
        _("weight of monthly scores"), max_digits=4, decimal_places=3, default=1
    )
    review_weight = models.DecimalField(
        _("weight of year-end review"), max_digits=4, decimal_places=3, default=0
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        ordering = ["-start_date", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], name="period_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="period_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("%(year)d-%(month)02d") % {"year": self.year, "month": self.number}
        if self.kind == PeriodKind.QUARTER:
            return _("%(year)d Q%(quarter)d") % {"year": self.year, "quarter": self.number}
        return _("Year %(year)d") % {"year": self.year}

    @property
    def is_closed(self) -> bool:
        return self.status == PeriodStatus.CLOSED


class EntryStatus(models.TextChoices):
    ACTIVE = "active", _("Counts")
    CANCELLED = "cancelled", _("Cancelled")


class Entry(models.Model):
    """A deduction or bonus for one person, citing a rule. ``points`` is the magnitude that counts
    (after an appeal reduced it); ``original_points`` keeps what was first recorded."""

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="entries", verbose_name=_("period")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="assessment_entries", verbose_name=_("staff")
    )
    window = models.ForeignKey(
        Window,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment_entries",
        verbose_name=_("window"),
    )
    rule = models.ForeignKey(
        AssessmentRule, on_delete=models.PROTECT, related_name="entries", verbose_name=_("rule")
    )
    kind = models.CharField(_("deduction or bonus"), max_length=10, choices=RuleKind.choices)
    date = models.DateField(_("date"))
    quantity = models.DecimalField(_("quantity"), max_digits=6, decimal_places=2, default=1)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    original_points = models.DecimalField(
        _("points first recorded"), max_digits=7, decimal_places=2
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    notes = models.TextField(_("notes"), blank=True)
    joint_parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_shares",
        verbose_name=_("joint liability for"),
    )
    joint_share = models.DecimalField(
        _("joint-liability share"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    appeal_deadline = models.DateField(_("appeal deadline"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment entry")
        verbose_name_plural = _("assessment entries")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["period", "staff", "status"], name="entry_period_staff_idx"),
            models.Index(fields=["staff", "date"], name="entry_staff_date_idx"),
            models.Index(fields=["date", "id"], name="entry_date_idx"),  # newest first lists
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(points__gte=0), name="entry_points_nonneg"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="entry_quantity_pos"),
        ]

    def __str__(self) -> str:
        sign = "-" if self.kind == RuleKind.DEDUCTION else "+"
        return f"{self.staff.name} {self.rule.code} {sign}{self.points}"

    @property
    def signed_points(self) -> Decimal:
        if self.status != EntryStatus.ACTIVE:
            return ZERO
        return -self.points if self.kind == RuleKind.DEDUCTION else self.points


def evidence_path(instance: Evidence, filename: str) -> str:
    from pathlib import Path
    from uuid import uuid4

    return f"assessments/evidence/{uuid4().hex}{Path(filename).suffix.lower()}"


class Evidence(models.Model):
    """A file supporting an entry or an appeal (photo, scanned notice, PDF)."""

    entry = models.ForeignKey(
        Entry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("entry"),
    )
    appeal = models.ForeignKey(
        "Appeal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("appeal"),
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entry__isnull=False) | models.Q(appeal__isnull=False),
                name="evidence_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优秀)")
    COMPETENT = "competent", _("Competent (称职)")
    BASICALLY_COMPETENT = "basic", _("Basically competent (基本称职)")
    INCOMPETENT = "incompetent", _("Incompetent (不称职)")


class Score(models.Model):
    """A person's result for a period, with its breakdown; recomputed from entries (month) or
    monthly scores and the year-end review (quarter, year)."""

    period = models.ForeignKey(
        Period,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("period"),
        db_index=False,
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("staff"),
        db_index=False,
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    window = models.ForeignKey(
        Window,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
    )
    base = models.DecimalField(_("base"), max_digits=6, decimal_places=2, default=100)
    deductions = models.DecimalField(_("deductions"), max_digits=7, decimal_places=2, default=0)
    bonus_raw = models.DecimalField(_("bonus earned"), max_digits=7, decimal_places=2, default=0)
    bonus = models.DecimalField(_("bonus counted"), max_digits=7, decimal_places=2, default=0)
    monthly_average = models.DecimalField(
        _("average of monthly scores"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    review_score = models.DecimalField(
        _("year-end review"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    total = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    entry_count = models.PositiveIntegerField(_("entries"), default=0)
    rank_center = models.PositiveIntegerField(_("rank in the center"), null=True)
    rank_department = models.PositiveIntegerField(_("rank in the department"), null=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)
    suggested_grade = models.CharField(
        _("grade suggested by the center"), max_length=20, choices=Grade.choices, blank=True
    )
    department_grade = models.CharField(
        _("grade decided by the department"), max_length=20, choices=Grade.choices, blank=True
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["period", "rank_center", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "staff"], name="score_period_staff"),
        ]
        # Few indexes (every one is written whenever a total changes): best first per period
        # (the rankings, the API's order, the ranks counted when read: count(total > t)), the
        # same within a department, a person's scores. period and staff have no index of their
        # own: score_period_staff and score_staff_idx lead with them.
        indexes = [
            models.Index(fields=["-period", "-total", "id"], name="score_period_total_idx"),
            models.Index(
                fields=["period", "department", "-total", "id"], name="score_period_dept_idx"
            ),
            models.Index(fields=["staff", "period"], name="score_staff_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}@{self.period_id}: {self.total}"

    @property
    def is_full_marks(self) -> bool:
        return self.deductions == 0 and self.total >= self.base


class ScoreTotals(models.Model):
    """A period's scores summed over some people (people scored, sum, lowest, deductions,
    bonus), kept exact by the score services in the transaction that writes the scores
    (``services.totals``) and rebuilt from the scores by ``score_totals_rebuild``."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    people = models.PositiveIntegerField(_("people"), default=0)
    total_sum = models.DecimalField(_("sum of scores"), max_digits=14, decimal_places=2, default=0)
    lowest = models.DecimalField(_("lowest score"), max_digits=7, decimal_places=2, null=True)
    deductions = models.DecimalField(_("deductions"), max_digits=14, decimal_places=2, default=0)
    bonus = models.DecimalField(_("bonus counted"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        abstract = True

    @property
    def average(self) -> Decimal | None:
        if not self.people:
            return None
        return (self.total_sum / self.people).quantize(Decimal("0.01"))


class PeriodWindowTotal(ScoreTotals):
    """One period, window and (home) department: what the period board's window card shows."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("window score total")
        verbose_name_plural = _("window score totals")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "window", "department"], name="window_total_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.window_id}/{self.department_id}@{self.period_id}: {self.people}"


class PeriodDepartmentTotal(ScoreTotals):
    """One period and department: the dashboard's and the department pages' figures and the
    evidence pack's population sizes. Its rows are also what score writers lock to serialize
    the writes of one department (``services.totals.lock_departments``)."""

    class Meta:
        verbose_name = _("department score total")
        verbose_name_plural = _("department score totals")
        constraints = [
            models.UniqueConstraint(fields=["period", "department"], name="department_total_unique")
        ]

    def __str__(self) -> str:
        return f"{self.department_id}@{self.period_id}: {self.people}"


class PeriodTotalCount(models.Model):
    """How many of a period's scores have each total: a person's rank in an open period is
    1 + the people of the rows above their total (a few hundred rows, however many scores).
    Kept by the score services with the other totals (``services.totals``)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    total = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    people = models.IntegerField(_("people"), default=0)

    class Meta:
        verbose_name = _("score count")
        verbose_name_plural = _("score counts")
        constraints = [
            models.UniqueConstraint(fields=["period", "total"], name="total_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period_id}: {self.total} × {self.people}"


class AppealStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UPHELD = "upheld", _("Upheld (entry stands)")
    REDUCED = "reduced", _("Reduced")
    CANCELLED = "cancelled", _("Entry cancelled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Appeal(models.Model):
    """A person contests an entry; the center decides. One appeal per entry."""

    entry = models.OneToOneField(
        Entry, on_delete=models.PROTECT, related_name="appeal", verbose_name=_("entry")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("staff")
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)
    points_before = models.DecimalField(_("points before"), max_digits=7, decimal_places=2)
    points_after = models.DecimalField(
        _("points after"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="appeal_status_idx")]

    def __str__(self) -> str:
        return f"{self.staff_id}: {self.entry_id}"


class RatingLevel(models.TextChoices):
    VERY_SATISFIED = "5", _("Very satisfied (非常满意)")
    SATISFIED = "4", _("Satisfied (满意)")
    BASICALLY_SATISFIED = "3", _("Basically satisfied (基本满意)")
    DISSATISFIED = "2", _("Dissatisfied (不满意)")
    VERY_DISSATISFIED = "1", _("Very dissatisfied (非常不满意)")


GOOD_LEVELS = ("5", "4", "3")
BAD_LEVELS = ("2", "1")


class RatingChannel(models.TextChoices):
    # The stored values of issue #4 stay valid: "onsite" is the evaluator at the window, "online"
    # the web (government service website).
    ONSITE = "onsite", _("Evaluator at the window")
    QR_CODE = "qr_code", _("QR code")
    SMS = "sms", _("SMS")
    ONLINE = "online", _("Web")
    MOBILE = "mobile", _("Mobile app")
    HOTLINE = "hotline", _("12345 hotline")
    SUGGESTION_BOX = "box", _("Suggestion box")


class Rating(models.Model):
    """One citizen rating of one service event (一次一评). An empty level is an unrated event."""

    event_ref = models.CharField(_("service event"), max_length=60, unique=True)
    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("window")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("staff"),
    )
    service_item = models.ForeignKey(
        ServiceItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("service item"),
    )
    level = models.CharField(_("rating"), max_length=1, choices=RatingLevel.choices, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=RatingChannel.choices, default=RatingChannel.ONSITE
    )
    served_at = models.DateTimeField(_("served at"))
    # When the rating reached the system (the rectification deadline counts from it).
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    # The rating platform applied its own default (no rating by the citizen): not voluntary.
    defaulted = models.BooleanField(_("default rating"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    rater_name = models.CharField(_("rater"), max_length=50, blank=True)
    rater_phone = models.CharField(_("rater phone"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("citizen rating")
        verbose_name_plural = _("citizen ratings")
        ordering = ["-served_at", "-id"]
        indexes = [
            models.Index(fields=["window", "served_at"], name="rating_window_idx"),
            models.Index(fields=["department", "served_at"], name="rating_dept_idx"),
            models.Index(fields=["staff", "served_at"], name="rating_staff_idx"),
            # the rates page reads the unrated events of one month by served date
            models.Index(
                fields=["served_at"], condition=models.Q(level=""), name="rating_unrated_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.event_ref

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


class RectificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    VALID = "valid", _("Confirmed")
    INVALID = "invalid", _("Invalid (appeal accepted)")
    RECTIFYING = "rectifying", _("Rectifying")
    DONE = "done", _("Rectified")
    CANNOT_FIX = "cannot_fix", _("Cannot be fixed")


OPEN_RECTIFICATION = (
    RectificationStatus.PENDING,
    RectificationStatus.VALID,
    RectificationStatus.RECTIFYING,
)


class Rectification(models.Model):
    """The case a bad rating opens. Overdue is derived: still open after ``deadline``."""

    rating = models.OneToOneField(
        Rating, on_delete=models.PROTECT, related_name="rectification", verbose_name=_("rating")
    )
    window = models.ForeignKey(Window, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="rectifications"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RectificationStatus.choices,
        default=RectificationStatus.PENDING,
    )
    opened_on = models.DateField(_("opened on"))
    deadline = models.DateField(_("deadline"))
    appeal_reason = models.TextField(_("appeal reason"), blank=True)
    reply = models.TextField(_("reply to the citizen"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    satisfaction_after = models.CharField(
        _("satisfaction after rectification"),
        max_length=1,
        choices=RatingLevel.choices,
        blank=True,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # issue #16: the home department's statement of the measures it took (its liaison, or the
    # center on its behalf); the latest one, each also in the follow-up log
    department_response = models.TextField(_("the department's response"), blank=True)
    department_responded_at = models.DateTimeField(
        _("department responded at"), null=True, blank=True
    )
    department_responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department responded by"),
    )

    class Meta:
        verbose_name = _("rectification case")
        verbose_name_plural = _("rectification cases")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="rectification_status_idx"),
            models.Index(fields=["department", "status"], name="rectification_dept_idx"),
        ]

    def __str__(self) -> str:
        return str(self.rating_id)

    def is_overdue(self, today) -> bool:
        return self.status in OPEN_RECTIFICATION and self.deadline < today


class RectificationLog(models.Model):
    """The follow-up log: every transition and note, in order."""

    case = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="log", verbose_name=_("case")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=RectificationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=RectificationStatus.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up entry")
        verbose_name_plural = _("follow-up log")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.to_status}"


class AwardKind(models.TextChoices):
    SERVICE_STAR = "service_star", _("Service star (服务之星)")
    RED_FLAG = "red_flag", _("Red-flag window (红旗窗口)")


class WindowAssessment(models.Model):
    """Inputs of the red-flag formula for one window and period, entered by the center. The
    efficiency is computed from workload where the period has any (``workload.selectors.
    window_efficiency``); the typed figure counts where it has none, or as an explicit override."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="window_inputs")
    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="+")
    efficiency = models.DecimalField(
        _("window efficiency (0-100)"), max_digits=5, decimal_places=2, default=0
    )
    duty_votes = models.PositiveIntegerField(_("duty-staff votes"), default=0)
    public_votes = models.PositiveIntegerField(_("public votes"), default=0)
    # issue #18: where the period has workload, the efficiency computed from it counts, unless
    # the center marks its typed figure as an override.
    efficiency_override = models.BooleanField(
        _("typed efficiency overrides workload"), default=False
    )

    class Meta:
        verbose_name = _("window assessment input")
        verbose_name_plural = _("window assessment inputs")
        constraints = [
            models.UniqueConstraint(fields=["period", "window"], name="window_input_unique")
        ]

    def __str__(self) -> str:
        return f"{self.window_id}@{self.period_id}"


class Award(models.Model):
    """A service star (a person) or a red-flag window for a period; promotion evidence."""

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="awards", verbose_name=_("period")
    )
    kind = models.CharField(_("award"), max_length=20, choices=AwardKind.choices)
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("staff"),
    )
    window = models.ForeignKey(
        Window,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("window"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("rank"))
    components = models.JSONField(_("score components"), default=dict, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    awarded_at = models.DateTimeField(_("awarded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["period", "kind", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "kind", "staff"],
                condition=models.Q(staff__isnull=False),
                name="award_unique_staff",
            ),
            models.UniqueConstraint(
                fields=["period", "kind", "window"],
                condition=models.Q(staff__isnull=True, window__isnull=False),
                name="award_unique_window",
            ),
            models.CheckConstraint(
                condition=models.Q(staff__isnull=False) | models.Q(window__isnull=False),
                name="award_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"


# Issue #18: deadline extensions, call-backs and the monthly rating rows (own module, size).
from .rating_models import (  # noqa: E402
    ExtensionStatus,
    RatingCallBack,
    RatingMonth,
    RectificationExtension,
)

__all__ = ["ExtensionStatus", "RatingCallBack", "RatingMonth", "RectificationExtension"]

# --- issue #18: rules fed by the hall's figures (cases, last in the group) ---------------------
from .rule_models import (  # noqa: E402, F401
    CASE_CLOSED_WITHOUT_COUNT,
    CaseDeduction,
    CaseDeductionState,
    CaseRecord,
    CaseStatus,
    WindowGroupPlace,
)
