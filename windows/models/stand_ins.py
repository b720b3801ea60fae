"""Stand-ins (AB岗 / 替岗): the A/B pair of a window or one of its service items."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from staff.models import Staff

from .windows import ServiceItem, Window


class StandIn(models.Model):
    """An A/B pair (AB岗): while ``a`` is away (leave, stepping out), ``b`` handles the window's
    business — the whole window, or one of its service items when ``service_item`` is set.

    Valid from ``valid_from`` to ``valid_until`` (inclusive; open when null). Both people are
    stationed at the window, unless ``exception_note`` documents why not (a colleague of a
    neighbouring window of the same department, say). Written only through
    ``windows.services.stand_ins``, which checks the rules.
    """

    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, related_name="stand_ins", verbose_name=_("window")
    )
    service_item = models.ForeignKey(
        ServiceItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service item"),
        help_text=_("Leave empty for the whole window."),
    )
    a = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="stand_ins_as_a", verbose_name=_("A post")
    )
    b = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="stand_ins_as_b",
        verbose_name=_("B post (stand-in)"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    exception_note = models.TextField(
        _("documented exception"),
        blank=True,
        help_text=_("Why a person of this pair is not stationed at the window."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stand-in pair")
        verbose_name_plural = _("stand-in pairs")
        ordering = ["window__code", "service_item__code", "valid_from", "id"]
        indexes = [
            models.Index(fields=["window", "valid_from"], name="standin_window_idx"),
            models.Index(fields=["a", "valid_from"], name="standin_a_idx"),
            models.Index(fields=["b", "valid_from"], name="standin_b_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(a=models.F("b")),
                name="standin_a_b_distinct",
                violation_error_message=_("A and B must be two different people."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="standin_until_after_from",
                violation_error_message=_("The end of validity cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window.code}: {self.a.name} / {self.b.name}"

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)
