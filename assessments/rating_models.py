"""Citizen ratings, issue #18: a rectification deadline's extension (asked by the rated side,
decided by the center), the center's spot-check call-backs (回访), and the monthly rows behind
the GB/T 39734 rates (kept by the rating and rectification services, never computed per page).

Imported at the end of ``assessments.models``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from staff.models import Department
from windows.models import ServiceItem, Window

from .models import RatingLevel  # defined before ``models`` imports this module


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class RectificationExtension(models.Model):
    """A request for more working days to rectify; one pending request per case at a time."""

    case = models.ForeignKey(
        "assessments.Rectification",
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("case"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_days = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    deadline_before = models.DateField(_("deadline before"), null=True, blank=True)
    deadline_after = models.DateField(_("new deadline"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="extension_one_pending_per_case",
                violation_error_message=_("This case already has a request awaiting decision."),
            )
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="extension_status_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: +{self.requested_days}"


class RatingCallBack(models.Model):
    """The center called the citizen back (a spot check of a rating, or a rectified case)."""

    rating = models.ForeignKey(
        "assessments.Rating",
        on_delete=models.CASCADE,
        related_name="call_backs",
        verbose_name=_("rating"),
    )
    case = models.ForeignKey(
        "assessments.Rectification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_backs",
        verbose_name=_("case"),
    )
    called_at = models.DateTimeField(_("called at"))
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("called by"),
    )
    reached = models.BooleanField(_("citizen reached"))
    confirms_rating = models.BooleanField(_("citizen confirms the rating"), null=True, blank=True)
    satisfaction_after = models.CharField(
        _("satisfaction after"),
        max_length=1,
        choices=RatingLevel.choices,
        blank=True,
    )
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        ordering = ["-called_at", "-id"]
        indexes = [models.Index(fields=["rating", "called_at"], name="callback_rating_idx")]

    def __str__(self) -> str:
        return f"{self.rating_id}@{self.called_at:%Y-%m-%d}"


class RatingMonth(models.Model):
    """The counts behind the rates for one month (by served date), window, department, service
    item (or none) and channel. Kept by ``services.rating_months`` in the transaction of every
    rating write and rectification step; ``rebuild_rating_months`` recomputes them."""

    month = models.DateField(_("month"))  # the first day
    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    service_item = models.ForeignKey(
        ServiceItem, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10)
    level_5 = models.IntegerField(default=0)
    level_4 = models.IntegerField(default=0)
    level_3 = models.IntegerField(default=0)
    level_2 = models.IntegerField(default=0)
    level_1 = models.IntegerField(default=0)
    unrated = models.IntegerField(default=0)
    voluntary_good = models.IntegerField(default=0)  # good levels the citizen gave
    replied = models.IntegerField(default=0)  # bad ratings whose case has a reply
    invalid = models.IntegerField(default=0)  # bad ratings invalidated on appeal
    rectified = models.IntegerField(default=0)
    followed = models.IntegerField(default=0)  # rectified with the satisfaction recorded
    satisfied_after = models.IntegerField(default=0)

    COUNTS = (
        "level_5",
        "level_4",
        "level_3",
        "level_2",
        "level_1",
        "unrated",
        "voluntary_good",
        "replied",
        "invalid",
        "rectified",
        "followed",
        "satisfied_after",
    )

    class Meta:
        verbose_name = _("rating month")
        verbose_name_plural = _("rating months")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "window", "department", "service_item", "channel"],
                condition=models.Q(service_item__isnull=False),
                name="rating_month_unique_item",
            ),
            models.UniqueConstraint(
                fields=["month", "window", "department", "channel"],
                condition=models.Q(service_item__isnull=True),
                name="rating_month_unique_no_item",
            ),
        ]
        indexes = [
            models.Index(fields=["month", "department"], name="rating_month_dept_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.window_id} {self.channel}"
