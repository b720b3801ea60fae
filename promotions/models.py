"""Promotions: the center as a base for developing cadres.

* :class:`EvidenceSnapshot` — a person's evidence pack for a period, frozen as JSON with a
  document number (``TJ-2026-00017``) and a SHA-256 of its canonical form. Never changes once
  written, so what HR received can always be shown again exactly.
* :class:`Recommendation` — the center recommends a person (draft → submitted → adopted / not
  adopted, with the receiver's feedback); submitting freezes a snapshot.
* :class:`ReferenceRequest` — HR asks about a person during promotion vetting (考察征求意见); the
  center answers with the evidence pack and a written appraisal (:class:`Appraisal`).
* :class:`RotationPlan` — a reserve cadre's planned rotation to a window, tracked through
  stationings.
* :class:`EvidenceExport` — a batch export of evidence packs, built in the background.

Long because: one schema — the evidence snapshots, the references, the recommendations with the
home department's answer and the reserve rotations refer to each other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import ExportJob, JobState
from staff.models import Staff
from windows.models import Post, Side, TransferRequest, Window


class DocumentCounter(models.Model):
    """The last document number issued in a year, per prefix; locked while a number is taken."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="document_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class SnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Evidence snapshots are immutable.")


class EvidenceSnapshot(models.Model):
    """What was sent: the evidence pack as it stood, with its number and content hash."""

    number = models.CharField(_("document number"), max_length=20, unique=True)
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="evidence_snapshots",
        verbose_name=_("staff member"),
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("frozen by"),
    )
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence snapshot")
        verbose_name_plural = _("evidence snapshots")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Evidence snapshots are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Evidence snapshots are immutable.")


class RecommendationKind(models.TextChoices):
    LEADERSHIP = "leadership", _("Promotion to a leadership post")
    MID_LEVEL = "mid_level", _("Mid-level post in the home department")
    TITLE = "title", _("Professional title")
    RESERVE = "reserve", _("Reserve cadre")
    COMMENDATION = "commendation", _("Commendation")


class Addressee(models.TextChoices):
    ORGANIZATION = "organization", _("Organization department")
    HOME = "home", _("Home department")
    BOTH = "both", _("Organization department and home department")


class RecommendationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("recommendation state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("recommendation state", "Submitted")
    ADOPTED = "adopted", pgettext_lazy("recommendation state", "Adopted")
    NOT_ADOPTED = "not_adopted", pgettext_lazy("recommendation state", "Not adopted")


class HomeDecision(models.TextChoices):
    """The home department's answer to a recommendation addressed to it (issue #16)."""

    ACCEPTED = "accepted", pgettext_lazy("home department answer", "Accepted")
    NOT_TAKEN_UP = "not_taken_up", pgettext_lazy("home department answer", "Not taken up")


HOME_ADDRESSED = (Addressee.HOME, Addressee.BOTH)


class Recommendation(models.Model):
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("staff member"),
    )
    kind = models.CharField(_("recommended for"), max_length=20, choices=RecommendationKind.choices)
    addressed_to = models.CharField(_("addressed to"), max_length=20, choices=Addressee.choices)
    rationale = models.TextField(_("rationale"))
    period_start = models.DateField(_("evidence from"))
    period_end = models.DateField(_("evidence to"))
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=RecommendationState.choices,
        default=RecommendationState.DRAFT,
    )
    snapshot = models.OneToOneField(
        EvidenceSnapshot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendation",
        verbose_name=_("evidence sent"),
    )
    feedback = models.TextField(_("receiver's feedback"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("feedback recorded by"),
    )
    decided_at = models.DateTimeField(_("feedback recorded at"), null=True, blank=True)
    # issue #16: the home department's answer (for a recommendation addressed to it) and what
    # followed — the post the person was given, from which day
    home_decision = models.CharField(
        _("home department's answer"), max_length=20, choices=HomeDecision.choices, blank=True
    )
    home_reason = models.TextField(_("home department's reason"), blank=True)
    home_post = models.CharField(_("post given"), max_length=200, blank=True)
    home_post_from = models.DateField(_("in the post from"), null=True, blank=True)
    home_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    home_answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="recommendation_state_idx"),
            models.Index(fields=["staff", "state"], name="recommendation_staff_idx"),
            # what waits for a home department's answer (the liaison home's count)
            models.Index(
                fields=["staff"],
                name="recommendation_home_open_idx",
                condition=models.Q(home_decision="", addressed_to__in=["home", "both"])
                & ~models.Q(state="draft"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="recommendation_period_order",
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft") | models.Q(snapshot__isnull=False),
                name="recommendation_submitted_has_snapshot",
            ),
            models.CheckConstraint(
                condition=models.Q(home_decision="")
                | models.Q(addressed_to__in=["home", "both"], home_answered_at__isnull=False),
                name="recommendation_home_answer_addressed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff.name} · {self.get_kind_display()}"


class ReferenceState(models.TextChoices):
    OPEN = "open", pgettext_lazy("reference request state", "Awaiting the center's answer")
    ANSWERED = "answered", pgettext_lazy("reference request state", "Answered")
    WITHDRAWN = "withdrawn", pgettext_lazy("reference request state", "Withdrawn")


class ReferenceRequest(models.Model):
    """HR's request for the center's view of a person during promotion vetting."""

    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="reference_requests",
        verbose_name=_("staff member"),
    )
    purpose = models.CharField(_("post or purpose considered"), max_length=200)
    message = models.TextField(_("message"), blank=True)
    period_start = models.DateField(_("evidence from"))
    period_end = models.DateField(_("evidence to"))
    due_date = models.DateField(_("answer due by"))
    state = models.CharField(
        _("state"), max_length=20, choices=ReferenceState.choices, default=ReferenceState.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reference_requests",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    snapshot = models.OneToOneField(
        EvidenceSnapshot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reference_request",
        verbose_name=_("evidence sent"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("performance-reference request")
        verbose_name_plural = _("performance-reference requests")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["state", "due_date"], name="reference_state_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="reference_period_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="answered") | models.Q(snapshot__isnull=False),
                name="reference_answered_has_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff.name} · {self.purpose}"


class Appraisal(models.Model):
    """The center's written appraisal of a person (part of the evidence pack)."""

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="appraisals", verbose_name=_("staff member")
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("appraisal"))
    reference_request = models.OneToOneField(
        ReferenceRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appraisal",
        verbose_name=_("performance-reference request"),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("center appraisal")
        verbose_name_plural = _("center appraisals")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["staff", "date"], name="appraisal_staff_date_idx")]

    def __str__(self) -> str:
        return f"{self.staff.name} {self.date:%Y-%m-%d}"


class RotationPlan(models.Model):
    """A reserve cadre's planned rotation to a window (at least a year by default); its progress
    is read from the person's stationings, never typed in."""

    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="rotation_plans",
        verbose_name=_("staff member"),
    )
    window = models.ForeignKey(
        Window,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned window"),
    )
    planned_start = models.DateField(_("planned start"))
    minimum_months = models.PositiveSmallIntegerField(_("minimum months at the window"))
    notes = models.TextField(_("notes"), blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    # issue #16: the home department proposes a rotation (window, post, from/to); when it starts
    # it becomes a transfer request through the windows workflow, never a stationing written here
    post = models.CharField(
        _("planned post"), max_length=12, choices=Post.choices, default=Post.STAFF
    )
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    raised_by = models.CharField(
        _("proposed by"), max_length=10, choices=Side.choices, default=Side.CENTER
    )
    transfer = models.ForeignKey(
        TransferRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transfer request"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rotation plan")
        verbose_name_plural = _("rotation plans")
        ordering = ["planned_start", "id"]
        indexes = [models.Index(fields=["staff", "cancelled"], name="rotation_staff_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_end__gt=models.F("planned_start")),
                name="rotation_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff.name} {self.planned_start:%Y-%m-%d}"

    @property
    def awaits_start(self) -> bool:
        """A window is planned and no transfer request is open or done for it (for buttons;
        ``rotation_plan_start`` re-checks)."""
        if self.cancelled or self.window_id is None:
            return False
        return self.transfer_id is None or self.transfer.state in ("rejected", "withdrawn")


ExportState = JobState  # the states of every export job (core.models)


def export_path(instance: EvidenceExport, filename: str) -> str:
    return f"promotions/exports/{instance.created_at:%Y/%m}/{filename}"


class EvidenceExport(ExportJob):
    """A batch of evidence packs (a department's shortlist, say), built by a Celery task."""

    staff = models.ManyToManyField(Staff, related_name="+", verbose_name=_("people"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    file = models.FileField(_("file"), upload_to=export_path, max_length=200, blank=True)

    class Meta(ExportJob.Meta):
        verbose_name = _("evidence export")
        verbose_name_plural = _("evidence exports")
