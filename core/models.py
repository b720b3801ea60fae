"""Cross-cutting tables that belong to no domain app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class JobState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("export state", "Queued")
    RUNNING = "running", pgettext_lazy("export state", "Running")
    DONE = "done", pgettext_lazy("export state", "Ready")
    FAILED = "failed", pgettext_lazy("export state", "Failed")


class ExportJob(models.Model):
    """What every export built by a Celery task records (``core.jobs``): the row is the truth —
    its state, progress, error, who asked and when, and the run that claimed it. A concrete
    export adds what was asked and its ``file``."""

    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    total = models.PositiveIntegerField(_("people"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The Celery task id of the run that claimed it (core.jobs): a redelivery of that same
    # message resumes it, any other message leaves it alone until the run has died.
    run_id = models.CharField(_("run"), max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.requested_by} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))


class SystemClientKind(models.TextChoices):
    TERMINAL = "terminal", _("Attendance terminal")
    RATING = "rating", _("Rating system")
    QUEUE = "queue", _("Queue system")
    SCREEN = "screen", _("Hall screen")
    CASE = "case", _("Case system")
    OTHER = "other", _("Other system")


class SystemClient(models.Model):
    """A machine that calls the API on its own behalf (an attendance terminal, the hall's rating
    or queue system), with its own revocable token (``core.system_clients``).

    Only the token's SHA-256 is stored; the token itself is shown once, when it is issued. A
    client may do exactly what its ``scopes`` name (``["attendance.punch"]``) and nothing a
    person's role allows.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SystemClientKind.choices)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("token starts with"), max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("system client")
        verbose_name_plural = _("system clients")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: str) -> bool:
        return self.is_active and scope in (self.scopes or [])

    @property
    def audit_label(self) -> str:
        return f"{self.name} (#{self.pk})"
