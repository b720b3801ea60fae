"""Skills, courses, sessions, enrollment and attendance, policy updates (two-way, menu-style
training: departments train their own people, the center runs the basics)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from staff.models import Department, Staff
from windows.models import ServiceItem, Window

LEVEL_VALIDATORS = [MinValueValidator(0), MaxValueValidator(5)]


class SkillKind(models.TextChoices):
    POLICY = "policy", _("Policy knowledge")
    APPROVAL_SYSTEM = "approval_system", _("Online collaborative approval system")
    COMPUTER = "computer", _("Computer operation")
    ETIQUETTE = "etiquette", _("Service etiquette")
    CONDUCT = "conduct", _("Service conduct rules")
    THEORY = "theory", _("Political theory")


class Skill(models.Model):
    """Something a window needs and a person has at a level from 0 (none) to 5 (expert)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=SkillKind.choices)
    service_item = models.ForeignKey(
        ServiceItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="skills",
        verbose_name=_("service item"),
        help_text=_("For policy knowledge of one service item."),
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code", "id"]

    def __str__(self) -> str:
        return self.name


class WindowSkillRequirement(models.Model):
    window = models.ForeignKey(
        Window,
        on_delete=models.CASCADE,
        related_name="skill_requirements",
        verbose_name=_("window"),
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("skill")
    )
    level = models.PositiveSmallIntegerField(_("required level"), validators=LEVEL_VALIDATORS)

    class Meta:
        verbose_name = _("window skill requirement")
        verbose_name_plural = _("window skill requirements")
        ordering = ["window", "skill", "id"]
        constraints = [
            models.UniqueConstraint(fields=["window", "skill"], name="window_skill_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.window_id}: {self.skill} ≥ {self.level}"


class SkillSource(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment by the center")
    EXAM = "exam", _("Exam")
    TRAINING = "training", _("Completed training")
    DEPARTMENT = "department", _("Home department")
    SELF = "self", _("Self-assessment")


class StaffSkill(models.Model):
    """A person's current assessed level of a skill (earlier levels are in the audit trail)."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="skills", verbose_name=_("staff member")
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="holders", verbose_name=_("skill")
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    assessed_on = models.DateField(_("assessed on"))
    source = models.CharField(_("source"), max_length=20, choices=SkillSource.choices)

    class Meta:
        verbose_name = _("staff skill")
        verbose_name_plural = _("staff skills")
        ordering = ["skill__code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "skill"], name="staff_skill_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}: {self.skill} = {self.level}"


class CourseCategory(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding")
    BUSINESS = "business", _("Business and policy")
    APPROVAL_SYSTEM = "approval_system", _("Approval system")
    COMPUTER = "computer", _("Computer skills")
    ETIQUETTE = "etiquette", _("Etiquette")
    POLITICAL_THEORY = "political_theory", _("Political theory")


class OrganizerSide(models.TextChoices):
    CENTER = "center", _("Center-run")
    DEPARTMENT = "department", _("Department-run")


class Course(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=CourseCategory.choices)
    side = models.CharField(_("organizer"), max_length=20, choices=OrganizerSide.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("organizing department"),
    )
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    mandatory = models.BooleanField(_("mandatory"), default=False)
    materials = models.TextField(_("materials"), blank=True)
    skills = models.ManyToManyField(
        Skill, through="CourseSkill", related_name="courses", verbose_name=_("skills covered")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(side="center") & models.Q(department__isnull=True))
                | (models.Q(side="department") & models.Q(department__isnull=False)),
                name="course_side_department",
                violation_error_message=_(
                    "A department-run course names its department; a center-run one does not."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CourseSkill(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="skill_links", verbose_name=_("course")
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="course_links", verbose_name=_("skill")
    )
    level = models.PositiveSmallIntegerField(_("level reached"), validators=LEVEL_VALIDATORS)

    class Meta:
        verbose_name = _("course skill")
        verbose_name_plural = _("course skills")
        constraints = [
            models.UniqueConstraint(fields=["course", "skill"], name="course_skill_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.course} → {self.skill} {self.level}"


class Session(models.Model):
    """One sitting of a course. ``outside_hours`` is derived from the center's working hours and
    calendar by the service that saves it, never typed in."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    outside_hours = models.BooleanField(_("outside working hours"), default=False, editable=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"], name="session_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d %H:%M}"


class EnrollmentStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ENROLLED = "enrolled", _("Enrolled")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")
    COMPLETED = "completed", _("Completed")


#: Statuses that count as having done the course (hours credited, never offered again).
DONE_STATUSES = (EnrollmentStatus.ATTENDED, EnrollmentStatus.COMPLETED)
#: Statuses that hold a seat.
SEAT_STATUSES = (
    EnrollmentStatus.INVITED,
    EnrollmentStatus.ENROLLED,
    EnrollmentStatus.ATTENDED,
    EnrollmentStatus.COMPLETED,
)


class Enrollment(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("session")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("staff member")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ENROLLED,
    )
    hours_credited = models.DecimalField(
        _("hours credited"), max_digits=5, decimal_places=1, default=Decimal("0")
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    result = models.CharField(_("result"), max_length=200, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_rating = models.PositiveSmallIntegerField(
        _("feedback rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["session", "staff", "id"]
        indexes = [
            # covering (PostgreSQL): a department's hours in the month and the year are summed
            # person by person from the index alone, without a visit to each enrollment row
            models.Index(
                fields=["staff", "status"],
                include=["session", "hours_credited"],
                name="enrollment_staff_hours_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="enrollment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} @ {self.session_id}: {self.status}"


class PolicyUpdate(models.Model):
    """A change of regulation tagged to service items. Staff of windows handling those items need
    the linked course by the deadline, counted from the publication date."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    published_on = models.DateField(_("published on"))
    deadline = models.DateField(_("training deadline"))
    service_items = models.ManyToManyField(
        ServiceItem, related_name="policy_updates", verbose_name=_("service items")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="policy_updates", verbose_name=_("course")
    )
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("policy update")
        verbose_name_plural = _("policy updates")
        ordering = ["-published_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("published_on")),
                name="policy_deadline_after_publication",
                violation_error_message=_("The deadline cannot be before the publication date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class GapOrigin(models.TextChoices):
    DEDUCTION = "deduction", _("Deduction rule category")
    RATING = "rating", _("Citizen rating level")


class CategorySkill(models.Model):
    """Maps an assessment deduction rule category, or a bad citizen-rating level, to the skill it
    reveals a gap in. Read by the assessments gap source (added when assessments is merged)."""

    origin = models.CharField(_("origin"), max_length=20, choices=GapOrigin.choices)
    category = models.CharField(_("category"), max_length=50)
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="category_links", verbose_name=_("skill")
    )
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=1, default=Decimal("1"))

    class Meta:
        verbose_name = _("category-to-skill mapping")
        verbose_name_plural = _("category-to-skill mappings")
        ordering = ["origin", "category", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "category", "skill"], name="category_skill_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin}:{self.category} → {self.skill}"


class TrainingHours(models.Model):
    """Hours credited to one person in one calendar year (the center's zone) for one course
    category and organizer side, with the number of sessions: exactly the sum over the person's
    attended or completed enrollments of sessions starting that year. Derived rows: written only
    by :mod:`training.hours` (the attendance service refreshes the people it records, in the same
    transaction; ``training_hours_rebuild`` recomputes them all), never by hand."""

    staff = models.ForeignKey(
        Staff,
        on_delete=models.CASCADE,
        related_name="training_hour_rows",
        verbose_name=_("staff member"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=20, choices=CourseCategory.choices)
    side = models.CharField(_("organizer"), max_length=20, choices=OrganizerSide.choices)
    hours = models.DecimalField(_("hours credited"), max_digits=7, decimal_places=1)
    sessions = models.PositiveIntegerField(_("sessions"))

    class Meta:
        verbose_name = _("training hours")
        verbose_name_plural = _("training hours")
        ordering = ["staff", "year", "category", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "year", "category", "side"], name="training_hours_unique"
            ),
        ]
        indexes = [models.Index(fields=["year", "side"], name="training_hours_year_idx")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.year} {self.category}/{self.side}: {self.hours}"
