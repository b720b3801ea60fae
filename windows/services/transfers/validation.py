"""The checks shared by create, update, approve and apply: the request's shape, the outgoing
person's open stationing and early flag, and the window rules its stationing would break."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import Staff, StaffStatus

from ... import rules
from ...models import Post, Side, Stationing, TransferKind, TransferRequest, Window
from .machine import NEEDS_OUTGOING, side_of


def _open_stationing(person: Staff) -> Stationing | None:
    return (
        Stationing.objects.select_related("window")
        .filter(staff=person, end_date__isnull=True)
        .first()
    )


def validate(transfer: TransferRequest, *, today: date, actor: Any = None) -> None:
    """Fill the derived fields (outgoing stationing, early flag) and check the request's shape.
    Raises ValidationError keyed by field; changes nothing in the database.

    The rules the center may override (posts, quota) are checked when the center acts (it can
    give the override then) and again when the request takes effect; a department's draft may
    ask for an exception the center then grants or refuses on approval."""
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    kind = transfer.kind
    window: Window = transfer.window
    if transfer.department_id != window.department_id:
        err("window", _("The window belongs to another department."))
    if not window.active:
        err("window", _("This window is closed."))
    if kind in NEEDS_OUTGOING:
        if transfer.outgoing_id is None:
            err("outgoing", _("Choose the person who leaves the window."))
    elif transfer.outgoing_id is not None:
        err("outgoing", _("This kind of request has no outgoing person."))
    if kind == TransferKind.STATION and transfer.incoming_id is None:
        err("incoming", _("Choose the person to station."))
    if (
        kind == TransferKind.REPLACE
        and transfer.incoming_id is None
        and transfer.raised_by == Side.DEPARTMENT
    ):
        err("incoming", _("Name the replacement."))
    if kind in (TransferKind.WITHDRAW, TransferKind.ROTATE) and transfer.incoming_id is not None:
        err("incoming", _("This kind of request has no incoming person."))
    if kind == TransferKind.ROTATE:
        if transfer.to_window_id is None:
            err("to_window", _("Choose the window to rotate to."))
        elif transfer.to_window_id == transfer.window_id:
            err("to_window", _("Rotation needs a different window."))
        elif transfer.to_window.department_id != transfer.department_id:
            err("to_window", _("A rotation stays within the department's windows."))
    elif transfer.to_window_id is not None:
        transfer.to_window = None

    transfer.outgoing_stationing = None
    transfer.is_early = False
    if transfer.outgoing_id is not None and kind in NEEDS_OUTGOING:
        current = _open_stationing(transfer.outgoing)
        if current is None or current.window_id != transfer.window_id:
            err(
                "outgoing",
                _("%(name)s is not stationed at window %(window)s.")
                % {"name": transfer.outgoing.name, "window": window.code},
            )
        else:
            transfer.outgoing_stationing = current
            if transfer.effective_date and transfer.effective_date < current.start_date:
                err("effective_date", _("The date is before the person's stationing began."))
            elif transfer.effective_date:
                transfer.is_early = rules.is_early(current.start_date, transfer.effective_date)
        busy = (
            TransferRequest.objects.open()
            .filter(outgoing=transfer.outgoing)
            .exclude(pk=transfer.pk)
            .exists()
        )
        if busy:
            err(
                "outgoing",
                _("%(name)s already has an open transfer request.")
                % {"name": transfer.outgoing.name},
            )
    if transfer.incoming_id is not None:
        person = transfer.incoming
        if person.pk == transfer.outgoing_id:
            err("incoming", _("The incoming and outgoing person must differ."))
        if person.department_id != transfer.department_id:
            err("incoming", _("The incoming person must belong to the department."))
        if person.status != StaffStatus.ACTIVE:
            err("incoming", _("%(name)s is not active staff.") % {"name": person.name})
        current = _open_stationing(person)
        if current is not None:
            err(
                "incoming",
                _("%(name)s is already stationed at window %(window)s; use a rotation.")
                % {"name": person.name, "window": current.window.code},
            )
        if transfer.incoming_post == Post.CHIEF_REPRESENTATIVE:
            for reason in rules.chief_ineligibility(person, on=transfer.effective_date or today):
                err("incoming_post", reason)
    if (
        kind == TransferKind.ROTATE
        and transfer.incoming_post == Post.CHIEF_REPRESENTATIVE
        and transfer.outgoing_id
    ):
        for reason in rules.chief_ineligibility(
            transfer.outgoing, on=transfer.effective_date or today
        ):
            err("incoming_post", reason)
    if not (transfer.reason or "").strip():
        err("reason", _("Give the reason for the request."))
    if transfer.is_early and not (transfer.early_justification or "").strip():
        err(
            "early_justification",
            _(
                "Early transfer: %(name)s will have served less than %(months)d months at the "
                "window on %(date)s. A written justification is required, and the center must "
                "approve explicitly."
            )
            % {
                "name": transfer.outgoing.name,
                "months": rules.min_tenure_months(),
                "date": transfer.effective_date.isoformat(),
            },
        )
    elif transfer.is_early:
        problem = rules.justification_problem(transfer.early_justification)
        if problem:
            err("early_justification", problem)
    if not errors:
        center_acts = actor is None or side_of(actor, transfer.department_id) == Side.CENTER
        for field, messages in rule_violations(transfer, overridable=center_acts).items():
            for message in messages:
                err(field, message)
    if errors:
        raise ValidationError(errors)


def stationed_person(transfer: TransferRequest) -> Staff | None:
    """Who the request stations at its target window (the rotated person for a rotation)."""
    return transfer.outgoing if transfer.kind == TransferKind.ROTATE else transfer.incoming


def rule_violations(transfer: TransferRequest, *, overridable: bool = True) -> dict[str, list[str]]:
    """The window rules the stationing this request makes would break, read now: one chief
    per window, the posts of people who are not chief-eligible, the window's quota. The last
    two yield to the center's override (``override_reason``); the chief rule never does — the
    current chief must be the one who leaves."""
    errors: dict[str, list[str]] = {}
    person = stationed_person(transfer)
    if person is None:
        return errors
    window = transfer.target_window
    leaving = transfer.outgoing_stationing_id
    here = Stationing.objects.filter(window=window, end_date__isnull=True)
    if leaving is not None:
        here = here.exclude(pk=leaving)
    if transfer.incoming_post == Post.CHIEF_REPRESENTATIVE:
        chief = here.filter(post=Post.CHIEF_REPRESENTATIVE).select_related("staff").first()
        if chief is not None:
            errors.setdefault("incoming_post", []).append(
                _(
                    "Window %(window)s already has a chief representative: %(name)s. Raise a "
                    "replacement of %(name)s to station a new chief; a window has one chief."
                )
                % {"window": window.code, "name": chief.staff.name}
            )
    overridden = bool((transfer.override_reason or "").strip())
    if overridable and not overridden:
        refusal = rules.post_refusal(person, transfer.incoming_post)
        if refusal:
            errors.setdefault("incoming_post", []).append(refusal)
        # a replacement at the same window leaves the headcount as it is: no quota question
        grows = leaving is None or transfer.outgoing_stationing.window_id != window.pk
        refusal = rules.quota_refusal(window, here.count()) if grows else ""
        if refusal:
            field = "to_window" if transfer.kind == TransferKind.ROTATE else "window"
            errors.setdefault(field, []).append(refusal)
    return errors


def set_override(locked: TransferRequest, actor: Any, override_reason: str | None) -> None:
    """Record the center's override of the post and quota rules (or its removal). Only the
    center may override; a department's attempt is refused."""
    if override_reason is None:
        return
    text = (override_reason or "").strip()
    if text == (locked.override_reason or ""):
        return
    if text and side_of(actor, locked.department_id) != Side.CENTER:
        raise PermissionDenied(_("Only the center may override a rule."))
    locked.override_reason = text
    locked.override_by = actor if text else None
    locked.override_at = timezone.now() if text else None
