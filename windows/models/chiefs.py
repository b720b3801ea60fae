"""Chief representatives: the appointment letter of a stationing and the service items it
authorizes."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .windows import ServiceItem, Stationing


class ChiefAppointment(models.Model):
    """The letters that make a stationed person the chief representative (首席代表) of a
    window: the letter of appointment (任命书) and the letter of authorization (授权书), filed by
    the center.
    """

    stationing = models.ForeignKey(
        Stationing,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("stationing"),
    )
    appointment_number = models.CharField(_("letter of appointment number"), max_length=60)
    authorization_number = models.CharField(_("letter of authorization number"), max_length=60)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)

    class Meta:
        verbose_name = _("chief representative appointment")
        verbose_name_plural = _("chief representative appointments")
        ordering = ["-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="appointment_valid_until_after_from",
                violation_error_message=_("The end of validity cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.appointment_number

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class AuthorizedItem(models.Model):
    """One service item in a letter of authorization, with the authority delegated for it."""

    appointment = models.ForeignKey(
        ChiefAppointment,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("appointment"),
    )
    service_item = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("service item")
    )
    can_accept = models.BooleanField(_("acceptance (受理)"), default=True)
    can_review = models.BooleanField(_("review (审查)"), default=False)
    can_decide = models.BooleanField(_("decision (决定)"), default=False)

    class Meta:
        verbose_name = _("authorized service item")
        verbose_name_plural = _("authorized service items")
        ordering = ["service_item__code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "service_item"], name="authorized_item_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(can_accept=True)
                | models.Q(can_review=True)
                | models.Q(can_decide=True),
                name="authorized_item_some_authority",
                violation_error_message=_(
                    "Authorize at least one of acceptance, review, decision."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.service_item)
