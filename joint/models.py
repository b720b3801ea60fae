"""Joint management with the home departments: visits, heart-to-heart talks (谈心谈话), the
follow-ups agreed in them, and the talks people ask for.

Who may read a talk's notes is decided in ``joint/permissions.py`` (see its table); the notes are
``topics``, ``concerns`` and ``notes`` and never leave the app through the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from staff.models import Department, Staff
from windows.models import Window


class Visit(models.Model):
    """Department leaders (and the liaison) visiting their people at the windows."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="visits", verbose_name=_("department")
    )
    date = models.DateField(_("date"))
    visitors = models.TextField(
        _("visitors"), help_text=_("Names and titles of the leaders and liaisons who came.")
    )
    visitor_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="joint_visits",
        verbose_name=_("visitors with an account"),
    )
    windows = models.ManyToManyField(
        Window, blank=True, related_name="visits", verbose_name=_("windows visited")
    )
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["department", "date"], name="visit_dept_date_idx")]

    def __str__(self) -> str:
        return f"{self.department} {self.date:%Y-%m-%d}"


class TalkerKind(models.TextChoices):
    DEPARTMENT_LEADER = "leader", _("Department leader")
    LIAISON = "liaison", _("Department liaison")
    CENTER = "center", _("Center")


class TalkKind(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    AFTER_DEDUCTION = "after_deduction", _("After a deduction")
    AFTER_APPEAL = "after_appeal", _("After an appeal")
    BEFORE_TRANSFER = "before_transfer", _("Before a transfer")
    AFTER_TRANSFER = "after_transfer", _("After a transfer")
    ON_REQUEST = "on_request", _("On the person's request")
    WARNING = "warning", _("Warning talk (window last in its group)")


class Confidentiality(models.TextChoices):
    STANDARD = "standard", _("Center administrators and the department")
    PRIVATE = "private", _("Private: author and center leadership only")


class Talk(models.Model):
    """A heart-to-heart talk with one person. ``topics``, ``concerns`` and ``notes`` are the
    confidential part; who may read them depends on ``level`` (joint/permissions.py)."""

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="talks", verbose_name=_("staff member")
    )
    date = models.DateField(_("date"))
    talker_kind = models.CharField(
        _("talked with"), max_length=10, choices=TalkerKind.choices, default=TalkerKind.LIAISON
    )
    talker_names = models.CharField(_("names and titles"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=TalkKind.choices, default=TalkKind.ROUTINE
    )
    topics = models.TextField(_("topics"), blank=True)
    concerns = models.TextField(_("the person's concerns"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    level = models.CharField(
        _("confidentiality"),
        max_length=10,
        choices=Confidentiality.choices,
        default=Confidentiality.STANDARD,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="joint_talks",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("heart-to-heart talk")
        verbose_name_plural = _("heart-to-heart talks")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["staff", "date"], name="talk_staff_date_idx"),
            models.Index(fields=["date"], name="talk_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.staff.name} {self.date:%Y-%m-%d}"


class FollowUpState(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")


class FollowUp(models.Model):
    """Something agreed in a talk, with an owner and a due date, tracked to resolution.

    State changes only through ``services.follow_up_transition`` (the transition table)."""

    talk = models.ForeignKey(
        Talk, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("talk")
    )
    description = models.TextField(_("agreed action"))
    owner = models.CharField(_("owner"), max_length=100)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="joint_follow_ups",
        verbose_name=_("owner's account"),
    )
    due_date = models.DateField(_("due date"))
    state = models.CharField(
        _("state"), max_length=12, choices=FollowUpState.choices, default=FollowUpState.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["state", "due_date"], name="followup_state_due_idx"),
            models.Index(fields=["due_date", "id"], name="followup_due_idx"),
            # Unresolved ones soonest due first (department page, liaison home): resolved
            # follow-ups, most of the table, are not in it.
            models.Index(
                fields=["due_date", "id"],
                name="followup_open_due_idx",
                condition=models.Q(state__in=["open", "in_progress"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="resolved") | models.Q(resolved_on__isnull=False),
                name="followup_resolved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]


class TalkRequestState(models.TextChoices):
    OPEN = "open", _("Waiting for a talk")
    DONE = "done", _("Talk held")


class TalkRequest(models.Model):
    """A person asking their department for a talk, from their own record page."""

    staff = models.ForeignKey(
        Staff,
        on_delete=models.CASCADE,
        related_name="talk_requests",
        verbose_name=_("staff member"),
    )
    message = models.TextField(_("what would you like to talk about"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=TalkRequestState.choices, default=TalkRequestState.OPEN
    )
    talk = models.ForeignKey(
        Talk,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("talk"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("talk request")
        verbose_name_plural = _("talk requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=models.Q(state="open"),
                name="talkrequest_one_open_per_staff",
                violation_error_message=_("You have already asked for a talk."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff.name} {self.created_at:%Y-%m-%d}"


class SuggestedTalk(models.Model):
    """A talk a registered trigger (``joint/triggers.py``) suggests: one row per (person, reason),
    kept exact by the services (``joint/suggestions.py``): the services that write a trigger's
    event refresh the people concerned, the talk that settles it removes it, and a daily sweep
    recomputes everyone. Shown from ``due`` to ``until`` (inclusive; no end when empty), so a
    suggestion that comes or goes with the calendar needs no write. The department is read
    through the person, so a move between departments never shows one department another's."""

    staff = models.ForeignKey(
        Staff,
        on_delete=models.CASCADE,
        related_name="suggested_talks",
        verbose_name=_("staff member"),
    )
    reason = models.CharField(_("reason"), max_length=40)
    since = models.DateField(_("since"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=TalkKind.choices, default=TalkKind.ROUTINE
    )
    due = models.DateField(_("shown from"))
    until = models.DateField(_("shown until"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggested talk")
        verbose_name_plural = _("suggested talks")
        constraints = [
            models.UniqueConstraint(fields=["staff", "reason"], name="suggestedtalk_staff_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.reason} {self.since:%Y-%m-%d}"
