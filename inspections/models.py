"""Inspection rounds (巡查): checklist templates, rounds through the hall, findings with photos.

A finding that cites a rule becomes an assessment deduction (``assessments.Entry``) through the
assessments entry service, once: ``Finding.entry`` is one-to-one and set only by
``services.finding_enter``. The entry is then appealed like any other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import AssessmentRule, Entry
from staff.models import Staff
from windows.models import Window


class RoundKind(models.TextChoices):
    DAILY = "daily", _("Daily round")
    WEEKLY = "weekly", _("Weekly round led by a leader")
    SPECIAL = "special", _("Special inspection")


class ChecklistTemplate(models.Model):
    """What inspectors check, edited by the center; a round uses one template."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(
        _("for rounds of kind"), max_length=10, choices=RoundKind.choices, blank=True
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One line of a checklist, optionally citing the deduction rule a finding on it incurs."""

    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("checklist template"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("item"), max_length=300)
    rule = models.ForeignKey(
        AssessmentRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rule"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["template", "position", "id"]

    def __str__(self) -> str:
        return self.text


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("inspection round", "In progress")
    CLOSED = "closed", pgettext_lazy("inspection round", "Closed")


class Round(models.Model):
    """One walk through the hall by its inspectors (a weekly round is led by a leader), over
    the windows it covers."""

    kind = models.CharField(_("kind"), max_length=10, choices=RoundKind.choices)
    checklist = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="+", verbose_name=_("checklist")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("led by"),
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("inspectors")
    )
    windows = models.ManyToManyField(Window, related_name="+", verbose_name=_("windows covered"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["-started_at", "-id"], name="round_started_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class FindingStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    ENTERED = "entered", _("Deduction recorded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Finding(models.Model):
    """Something an inspector saw at a window (and, optionally, of one person there)."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="findings", verbose_name=_("round")
    )
    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, related_name="+", verbose_name=_("window")
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_findings",
        verbose_name=_("staff member"),
    )
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("checklist item"),
    )
    rule = models.ForeignKey(
        AssessmentRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rule"),
    )
    note = models.TextField(_("note"), blank=True)
    observed_at = models.DateTimeField(_("observed at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.RECORDED
    )
    entry = models.OneToOneField(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_finding",
        verbose_name=_("assessment entry"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["-observed_at", "-id"]
        indexes = [
            models.Index(fields=["round", "observed_at"], name="finding_round_idx"),
            models.Index(fields=["window", "observed_at"], name="finding_window_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="entered", entry__isnull=False)
                | (~models.Q(status="entered") & models.Q(entry__isnull=True)),
                name="finding_entered_has_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window_id}: {self.note[:30]}"


def photo_path(instance: FindingPhoto, filename: str) -> str:
    from pathlib import Path
    from uuid import uuid4

    return f"inspections/photos/{uuid4().hex}{Path(filename).suffix.lower()}"


class FindingPhoto(models.Model):
    """A photo of a finding; stored under a random name, served only by a permission-checked
    view (never from a public media location)."""

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="photos", verbose_name=_("finding")
    )
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding photo")
        verbose_name_plural = _("finding photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
