"""The transfer workflow's rows: the request (its states and sides), its attachments and the
center's vetting of the incoming person. The transitions live in ``windows.services.transfers``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import Department, Staff

from ..querysets import TransferQuerySet
from .windows import Post, Stationing, Window


class TransferKind(models.TextChoices):
    STATION = "station", _("Station a new person")
    REPLACE = "replace", _("Replace a person")
    WITHDRAW = "withdraw", _("Withdraw a person")
    ROTATE = "rotate", _("Rotate to another window")


class TransferState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VETTING = "vetting", _("Vetting")
    APPROVED = "approved", _("Approved")
    EFFECTIVE = "effective", _("Effective")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = (
    TransferState.DRAFT,
    TransferState.SUBMITTED,
    TransferState.VETTING,
    TransferState.APPROVED,
)


class Side(models.TextChoices):
    CENTER = "center", _("Center")
    DEPARTMENT = "department", _("Department")


class TransferRequest(models.Model):
    """A request to station, replace, withdraw or rotate window staff. Its state changes only
    through ``windows.services.transfers``; see the transition table there."""

    kind = models.CharField(_("kind"), max_length=10, choices=TransferKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=TransferState.choices, default=TransferState.DRAFT
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("department")
    )
    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("window")
    )
    to_window = models.ForeignKey(
        Window,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_rotations",
        verbose_name=_("rotate to window"),
    )
    outgoing = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outgoing_transfers",
        verbose_name=_("outgoing staff"),
    )
    outgoing_stationing = models.ForeignKey(
        Stationing,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closing_transfers",
        verbose_name=_("stationing to end"),
    )
    incoming = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_transfers",
        verbose_name=_("incoming staff"),
    )
    incoming_post = models.CharField(
        _("post of the incoming person"), max_length=10, choices=Post.choices, default=Post.STAFF
    )
    raised_by = models.CharField(_("raised by"), max_length=10, choices=Side.choices)
    reason = models.TextField(_("reason"))
    early_justification = models.TextField(_("justification for an early transfer"), blank=True)
    is_early = models.BooleanField(_("early transfer"), default=False)
    effective_date = models.DateField(_("proposed effective date"))
    deadline = models.DateField(_("deadline for the department"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    center_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("center consent by"),
    )
    center_consent_at = models.DateTimeField(_("center consent at"), null=True, blank=True)
    department_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department consent by"),
    )
    department_consent_at = models.DateTimeField(_("department consent at"), null=True, blank=True)
    new_stationing = models.ForeignKey(
        Stationing,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opening_transfers",
        verbose_name=_("new stationing"),
    )
    # The center's override of the post and quota rules (windows/rules.py), with its reason.
    override_reason = models.TextField(_("reason for overriding a rule"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("override by"),
    )
    override_at = models.DateTimeField(_("override at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "effective_date"], name="transfer_state_date_idx"),
            models.Index(fields=["department", "state"], name="transfer_dept_state_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def counterparty(self) -> str:
        return Side.DEPARTMENT if self.raised_by == Side.CENTER else Side.CENTER

    @property
    def target_window(self) -> Window:
        return self.to_window if self.kind == TransferKind.ROTATE else self.window

    @property
    def is_overdue(self) -> bool:
        return self.deadline is not None and self.is_open and self.deadline < timezone.localdate()


def attachment_path(instance: TransferAttachment, filename: str) -> str:
    import uuid
    from pathlib import Path

    return f"transfers/{instance.transfer_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class TransferAttachment(models.Model):
    transfer = models.ForeignKey(
        TransferRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("transfer request"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class VettingDecision(models.TextChoices):
    PASS = "pass", _("Passed vetting")
    FAIL = "fail", _("Failed vetting")


class Vetting(models.Model):
    """The center's vetting of the person a transfer would station: political quality
    (政治素质), business ability (业务能力), physical fitness (身体素质)."""

    transfer = models.ForeignKey(
        TransferRequest,
        on_delete=models.PROTECT,
        related_name="vettings",
        verbose_name=_("transfer request"),
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="vettings", verbose_name=_("staff member")
    )
    political_ok = models.BooleanField(_("political quality passed"))
    political_notes = models.TextField(_("notes on political quality"), blank=True)
    ability_ok = models.BooleanField(_("business ability passed"))
    ability_notes = models.TextField(_("notes on business ability"), blank=True)
    fitness_ok = models.BooleanField(_("physical fitness passed"))
    fitness_notes = models.TextField(_("notes on physical fitness"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=VettingDecision.choices)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("vetted by"),
    )
    vetted_at = models.DateTimeField(_("vetted at"), default=timezone.now)

    class Meta:
        verbose_name = _("vetting")
        verbose_name_plural = _("vettings")
        ordering = ["-vetted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="pass")
                | models.Q(political_ok=True, ability_ok=True, fitness_ok=True),
                name="vetting_pass_needs_all_dimensions",
                violation_error_message=_(
                    "A vetting can only pass when all three dimensions pass."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_decision_display()}"
