"""Notifications are rows first (the in-app center), e-mailed from those rows afterwards.

The unique key (recipient, kind, subject, period) is what makes every sweep safe to run again:
a rerun, a catch-up after a missed day or two beats at once can only insert what is missing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EmailStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("e-mail", "Pending")
    SENT = "sent", pgettext_lazy("e-mail", "Sent")
    SKIPPED = "skipped", pgettext_lazy("e-mail", "Not e-mailed")
    FAILED = "failed", pgettext_lazy("e-mail", "Failed")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("subject type")
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("subject_type", "subject_id")
    # What occurrence this is: a milestone ("60d", "24m") or a period ("2026-11").
    period = models.CharField(_("period"), max_length=32)
    # The kind's placeholders as JSON (notifications.texts): the texts are rendered from the kind
    # in the reader's language when shown. None on rows written before they were stored.
    params = models.JSONField(_("parameters"), null=True, blank=True, editable=False)
    # Rendered in the recipient's language when written: the fallback for rows without params.
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail status"),
        max_length=10,
        choices=EmailStatus.choices,
        default=EmailStatus.PENDING,
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_error = models.CharField(_("e-mail error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_type", "subject_id", "period"],
                name="notification_once_per_period",
            ),
        ]
        indexes = [
            # The center's list and the unread badge.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            # The relay's queue.
            models.Index(
                fields=["id"],
                condition=models.Q(email_status="pending"),
                name="notification_pending_idx",
            ),
            # A sweep's "what exists already" check per batch of subjects.
            models.Index(
                fields=["subject_type", "subject_id", "kind", "period"],
                name="notification_subject_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def texts(self, language: str) -> tuple[str, str]:
        """Title and text in ``language``, from the kind and the stored parameters (the stored
        title and text for a row without parameters). No query."""
        from .texts import shown

        return shown(self, language)

    @cached_property
    def _shown(self) -> tuple[str, str]:
        # The selectors annotate the reader's language (no join, no query per row); otherwise
        # the recipient's (load it with select_related for a list).
        language = getattr(self, "recipient_language", None) or self.recipient.language
        return self.texts(language or settings.LANGUAGE_CODE)

    @property
    def display_title(self) -> str:
        """The title in the recipient's language."""
        return self._shown[0]

    @property
    def display_body(self) -> str:
        """The text in the recipient's language."""
        return self._shown[1]


class Preference(models.Model):
    """A user's choice to receive a kind by e-mail. No row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    email = models.BooleanField(_("send e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.email}"
