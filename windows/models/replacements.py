"""Replacement demands: the center asking a department for a replacement at a window."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import Department

from .transfers import TransferRequest
from .windows import Stationing, Window


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
