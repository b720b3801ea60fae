"""The dashboard's snapshot: its figures for one scope, as taken at a known time.

Not a cache: a row written only by :func:`portal.services.dashboard_snapshot_refresh` (Celery beat
every few minutes, on demand when the row is missing, and the center administrator's refresh
button), read as stored, and shown with the time it was taken ("as of HH:MM"). Nothing
invalidates it; the lists behind its figures (staff, windows, transfers...) are live.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The scope of everyone who sees every department (center administrators, HR).
CENTER_SCOPE = "center"


class DashboardSnapshot(models.Model):
    scope = models.CharField(
        _("scope"),
        max_length=200,
        unique=True,
        help_text=_('"center", or "departments:" and the department ids of a confined viewer.'),
    )
    figures = models.JSONField(_("figures"), encoder=DjangoJSONEncoder, default=dict)
    taken_at = models.DateTimeField(_("taken at"))
    duration_ms = models.PositiveIntegerField(_("time to compute (ms)"), default=0)

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self) -> str:
        return f"{self.scope} @ {self.taken_at:%Y-%m-%d %H:%M}"
