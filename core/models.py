"""Cross-cutting tables that belong to no domain app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkdayOverride(models.Model):
    """The center's correction of the holiday calendar for one day.

    Newly announced adjustments (调休) arrive before a ``holidays`` release; the center records
    them here and they win over the library.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"
