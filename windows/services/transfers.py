"""The transfer workflow: an explicit state machine with the allowed transitions per role.

::

    draft ─submit─▶ submitted ─start_vetting─▶ vetting ─approve─▶ approved ─apply─▶ effective
      │                   │  └────────approve (no incoming person)──────▶ │
      └──withdraw──┬──────┴──reject──▶ rejected     (a failed vetting also rejects)
                   ▼
               withdrawn

Who may fire a transition is a *side*: the raiser (the side that created the request), the
counterparty (the other side — the center approves what a department raises, the department's
liaison approves what the center raises), the center itself, or the system (the daily task).
Every transition locks the row, re-checks the state under the lock (so of two people approving at
once exactly one wins and the other gets :class:`TransferConflict`), writes an audit entry and
notifies the other side after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import events
from core.audit import audited
from core.workdays import add_working_days
from staff.models import Role, Staff, StaffStatus
from staff.permissions import Perm, can_use_department, has_perm, role_of

from .. import notify, rules
from ..models import (
    ChiefAppointment,
    EndReason,
    Post,
    ReplacementDemand,
    Side,
    Stationing,
    TransferAttachment,
    TransferKind,
    TransferRequest,
    TransferState,
    Vetting,
    VettingDecision,
    Window,
)

S = TransferState
RAISER, COUNTERPARTY, CENTER, SYSTEM = "raiser", "counterparty", "center", "system"


class TransferConflict(ValidationError):
    """Someone else changed the request first; nothing of this attempt was applied."""


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    label: Any


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        frozenset({S.DRAFT}), S.SUBMITTED, frozenset({RAISER}), gettext_lazy("Submit")
    ),
    "start_vetting": Transition(
        frozenset({S.SUBMITTED}), S.VETTING, frozenset({CENTER}), gettext_lazy("Start vetting")
    ),
    "approve": Transition(
        frozenset({S.SUBMITTED, S.VETTING}),
        S.APPROVED,
        frozenset({COUNTERPARTY}),
        gettext_lazy("Approve"),
    ),
    "reject": Transition(
        frozenset({S.SUBMITTED, S.VETTING}),
        S.REJECTED,
        frozenset({COUNTERPARTY, CENTER}),
        gettext_lazy("Reject"),
    ),
    "withdraw": Transition(
        frozenset({S.DRAFT, S.SUBMITTED, S.VETTING, S.APPROVED}),
        S.WITHDRAWN,
        frozenset({RAISER}),
        gettext_lazy("Withdraw"),
    ),
    "apply": Transition(
        frozenset({S.APPROVED}),
        S.EFFECTIVE,
        frozenset({SYSTEM, CENTER}),
        gettext_lazy("Apply"),
    ),
}
# Editing is not a state change, but it has its own table: the raiser edits a draft; the
# department may name the incoming person on a submitted request the center raised.
EDITABLE = {S.DRAFT: frozenset({RAISER}), S.SUBMITTED: frozenset({"department_of_center_request"})}

NEEDS_INCOMING = {TransferKind.STATION, TransferKind.REPLACE}
NEEDS_OUTGOING = {TransferKind.REPLACE, TransferKind.WITHDRAW, TransferKind.ROTATE}
END_REASON = {
    TransferKind.REPLACE: EndReason.TRANSFER,
    TransferKind.WITHDRAW: EndReason.WITHDRAWN,
    TransferKind.ROTATE: EndReason.ROTATION,
}
EDIT_FIELDS = (
    "override_reason",
    "kind",
    "window",
    "to_window",
    "outgoing",
    "incoming",
    "incoming_post",
    "reason",
    "early_justification",
    "effective_date",
)


# --- who is acting -------------------------------------------------------------------------------


def side_of(user: Any, department_id: int) -> str | None:
    """The side ``user`` acts for on a request of ``department_id``; None when neither."""
    if user is None:
        return None
    role = role_of(user)
    if role == Role.CENTER_ADMIN:
        return Side.CENTER
    if role == Role.LIAISON and can_use_department(user, department_id):
        return Side.DEPARTMENT
    return None


def _roles(transfer: TransferRequest, actor: Any) -> set[str]:
    if actor is None:
        return {SYSTEM}
    side = side_of(actor, transfer.department_id)
    if side is None or not has_perm(actor, Perm.TRANSFER_EDIT):
        return set()
    roles = {RAISER if side == transfer.raised_by else COUNTERPARTY}
    if side == Side.CENTER:
        roles.add(CENTER)
    if side == Side.DEPARTMENT and transfer.raised_by == Side.CENTER:
        roles.add("department_of_center_request")
    return roles


def allowed_actions(transfer: TransferRequest, user: Any) -> list[str]:
    """The transitions ``user`` may fire now (for buttons; the services re-check everything)."""
    roles = _roles(transfer, user)
    actions = [
        name
        for name, t in TRANSITIONS.items()
        if transfer.state in t.sources and roles & t.actors and name != "apply"
    ]
    if (
        "apply" in TRANSITIONS
        and transfer.state == S.APPROVED
        and CENTER in roles
        and transfer.effective_date <= timezone.localdate()
    ):
        actions.append("apply")
    return actions


def can_edit(transfer: TransferRequest, user: Any) -> bool:
    return bool(_roles(transfer, user) & EDITABLE.get(transfer.state, frozenset()))


def can_vet(transfer: TransferRequest, user: Any) -> bool:
    return (
        transfer.state == S.VETTING
        and CENTER in _roles(transfer, user)
        and has_perm(user, Perm.VETTING_RECORD)
    )


# --- validation shared by create and update ------------------------------------------------------


def _open_stationing(person: Staff) -> Stationing | None:
    return (
        Stationing.objects.select_related("window")
        .filter(staff=person, end_date__isnull=True)
        .first()
    )


def _validate(transfer: TransferRequest, *, today: date, actor: Any = None) -> None:
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
        for field, messages in _rule_violations(transfer, overridable=center_acts).items():
            for message in messages:
                err(field, message)
    if errors:
        raise ValidationError(errors)


def _stationed_person(transfer: TransferRequest) -> Staff | None:
    """Who the request stations at its target window (the rotated person for a rotation)."""
    return transfer.outgoing if transfer.kind == TransferKind.ROTATE else transfer.incoming


def _rule_violations(
    transfer: TransferRequest, *, overridable: bool = True
) -> dict[str, list[str]]:
    """The window rules the stationing this request makes would break, read now: one chief
    per window, the posts of people who are not chief-eligible, the window's quota. The last
    two yield to the center's override (``override_reason``); the chief rule never does — the
    current chief must be the one who leaves."""
    errors: dict[str, list[str]] = {}
    person = _stationed_person(transfer)
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


def _set_override(locked: TransferRequest, actor: Any, override_reason: str | None) -> None:
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


# --- create and edit -----------------------------------------------------------------------------


@transaction.atomic
def transfer_create(
    *,
    actor: Any,
    kind: str,
    window: Window,
    reason: str,
    effective_date: date,
    outgoing: Staff | None = None,
    incoming: Staff | None = None,
    incoming_post: str = Post.STAFF,
    to_window: Window | None = None,
    early_justification: str = "",
    override_reason: str = "",
) -> TransferRequest:
    """Raise a request as a draft, for the actor's side. Raises PermissionDenied when the actor
    may not act for the window's department, ValidationError when the request is malformed.
    ``override_reason`` (the center only) overrides the post and quota rules."""
    if not has_perm(actor, Perm.TRANSFER_EDIT):
        raise PermissionDenied(_("You are not allowed to do this."))
    side = side_of(actor, window.department_id)
    if side is None:
        raise PermissionDenied(_("You may only raise requests for your own department."))
    today = timezone.localdate()
    if effective_date < today:
        raise ValidationError({"effective_date": _("The effective date cannot be in the past.")})
    transfer = TransferRequest(
        kind=kind,
        department_id=window.department_id,
        window=window,
        to_window=to_window,
        outgoing=outgoing,
        incoming=incoming,
        incoming_post=incoming_post,
        raised_by=side,
        reason=(reason or "").strip(),
        early_justification=(early_justification or "").strip(),
        effective_date=effective_date,
        created_by=actor,
    )
    _set_override(transfer, actor, override_reason)
    _validate(transfer, today=today, actor=actor)
    with audited(actor=actor, reason=_("Transfer request raised")):
        transfer.save()
    notify.queue(transfer, "created", actor)
    return transfer


@transaction.atomic
def transfer_update(
    *, actor: Any, transfer: TransferRequest, expected_version: int, **fields: Any
) -> TransferRequest:
    """Change a request that may still be edited. ``expected_version`` is the version the editor
    saw: if someone changed the request since, TransferConflict is raised and nothing changes."""
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    locked = _lock(transfer.pk)
    if locked.version != expected_version:
        raise TransferConflict(
            _(
                "Someone else changed this request while you were editing it. Reload the page "
                "to see their changes; yours were not saved."
            )
        )
    roles = _roles(locked, actor)
    if not roles or not roles & frozenset().union(*EDITABLE.values()):
        raise PermissionDenied(_("You are not allowed to do this."))
    if not roles & EDITABLE.get(locked.state, frozenset()):
        raise TransferConflict(
            _("This request is %(state)s and can no longer be edited.")
            % {"state": locked.get_state_display()}
        )
    if locked.state == S.SUBMITTED:
        # the department names the replacement of a center request: only those fields
        fields = {k: v for k, v in fields.items() if k in ("incoming", "incoming_post")}
    _set_override(locked, actor, fields.pop("override_reason", None))
    for name, value in fields.items():
        setattr(locked, name, value)
    if "window" in fields and locked.window.department_id != locked.department_id:
        raise ValidationError({"window": _("The window belongs to another department.")})
    locked.reason = (locked.reason or "").strip()
    _validate(locked, today=timezone.localdate(), actor=actor)
    locked.version += 1
    with audited(actor=actor, reason=_("Transfer request edited")):
        locked.save()
    notify.queue(locked, "edited", actor)
    return locked


def transfer_attach(*, actor: Any, transfer: TransferRequest, upload: Any) -> TransferAttachment:
    """Attach a letter or form. Only types and sizes allowed by settings; only while open."""
    extensions = {e.lower() for e in rules.center("TRANSFER_ATTACHMENT_EXTENSIONS")}
    max_bytes = int(rules.center("TRANSFER_ATTACHMENT_MAX_BYTES"))
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in extensions:
        raise ValidationError(
            {
                "file": _("Files of type %(type)s are not accepted; allowed: %(allowed)s.")
                % {"type": suffix or "?", "allowed": " ".join(sorted(extensions))}
            }
        )
    if upload.size > max_bytes:
        raise ValidationError(
            {"file": _("The file is larger than %(mb).1f MB.") % {"mb": max_bytes / 1024 / 1024}}
        )
    with transaction.atomic():
        locked = _lock(transfer.pk)
        if not _roles(locked, actor) & {RAISER, COUNTERPARTY} or actor is None:
            raise PermissionDenied(_("You are not allowed to do this."))
        if not locked.is_open:
            raise TransferConflict(_("Attachments can only be added to open requests."))
        attachment = TransferAttachment(
            transfer=locked,
            original_name=Path(upload.name).name[:200],
            size=upload.size,
            uploaded_by=actor,
        )
        attachment.file.save(upload.name, upload, save=False)
        with audited(actor=actor, reason=_("Attachment added")):
            attachment.save()
    return attachment


# --- transitions ---------------------------------------------------------------------------------


def _lock(pk: int) -> TransferRequest:
    return (
        TransferRequest.objects.select_for_update(of=("self",))
        .select_related(
            "department", "window", "to_window", "outgoing", "incoming", "outgoing_stationing"
        )
        .get(pk=pk)
    )


def _begin(transfer: TransferRequest, action: str, actor: Any) -> TransferRequest:
    """Lock the row and check that ``action`` may fire now, by this actor."""
    locked = _lock(transfer.pk)
    rule = TRANSITIONS[action]
    roles = _roles(locked, actor)
    if not roles:
        raise PermissionDenied(_("You are not allowed to do this."))
    if not roles & rule.actors:
        raise PermissionDenied(
            _("Your side may not “%(action)s” this request.") % {"action": rule.label}
        )
    if locked.state not in rule.sources:
        # checked under the row lock: of two people acting at once, the second lands here
        raise TransferConflict(
            _(
                "This request is already %(state)s, so “%(action)s” was not applied. Someone "
                "may have acted on it at the same time; reload the page."
            )
            % {"state": locked.get_state_display(), "action": rule.label}
        )
    return locked


def _finish(locked: TransferRequest, action: str, actor: Any, reason: str = "") -> None:
    locked.state = TRANSITIONS[action].target
    locked.version += 1
    with audited(actor=actor, reason=reason or str(TRANSITIONS[action].label), action=action):
        locked.save()
    notify.queue(locked, action, actor)


def _consent(locked: TransferRequest, side: str, actor: Any) -> None:
    now = timezone.now()
    if side == Side.CENTER:
        locked.center_consent_by, locked.center_consent_at = actor, now
    else:
        locked.department_consent_by, locked.department_consent_at = actor, now


@transaction.atomic
def transfer_submit(*, actor: Any, transfer: TransferRequest) -> TransferRequest:
    """Send a draft to the other side. The raiser's submission is its side's consent. A
    replacement the center demands gets a deadline in working days."""
    locked = _begin(transfer, "submit", actor)
    _validate(locked, today=timezone.localdate(), actor=actor)
    _consent(locked, locked.raised_by, actor)
    if locked.raised_by == Side.CENTER and locked.kind == TransferKind.REPLACE:
        locked.deadline = add_working_days(
            timezone.localdate(), int(rules.center("REPLACEMENT_DEADLINE_WORKDAYS"))
        )
    _finish(locked, "submit", actor)
    return locked


@transaction.atomic
def transfer_start_vetting(*, actor: Any, transfer: TransferRequest) -> TransferRequest:
    locked = _begin(transfer, "start_vetting", actor)
    if locked.kind not in NEEDS_INCOMING or locked.incoming_id is None:
        raise ValidationError(_("There is no incoming person to vet yet."))
    _finish(locked, "start_vetting", actor)
    return locked


@transaction.atomic
def transfer_approve(
    *,
    actor: Any,
    transfer: TransferRequest,
    note: str = "",
    today: date | None = None,
    override_reason: str | None = None,
) -> TransferRequest:
    """The other side consents. Refused while the incoming person has not passed vetting, when a
    chief representative would be ineligible, or when an early transfer lacks the center's consent.
    The center approving may override the post and quota rules with ``override_reason``.
    A request dated today or earlier takes effect at once, in the same transaction."""
    today = today or timezone.localdate()
    locked = _begin(transfer, "approve", actor)
    _set_override(locked, actor, override_reason)
    _validate(locked, today=today, actor=actor)
    if locked.kind in NEEDS_INCOMING:
        if locked.incoming_id is None:
            raise ValidationError(_("The department has not named the incoming person yet."))
        latest = (
            Vetting.objects.filter(transfer=locked, staff_id=locked.incoming_id)
            .order_by("-vetted_at", "-id")
            .first()
        )
        if locked.state != S.VETTING or latest is None or latest.decision != VettingDecision.PASS:
            raise ValidationError(
                _("%(name)s has not passed the center's vetting; the request cannot be approved.")
                % {"name": locked.incoming.name}
            )
    _consent(locked, locked.counterparty, actor)
    if locked.is_early and locked.center_consent_at is None:
        raise ValidationError(_("An early transfer needs the center's explicit approval."))
    if locked.center_consent_at is None or locked.department_consent_at is None:
        raise ValidationError(_("Both the center and the department must consent."))
    locked.decision_note = (note or "").strip()
    _finish(locked, "approve", actor, reason=note)
    if locked.effective_date <= today:
        _apply(locked, actor=actor)
    return locked


@transaction.atomic
def transfer_reject(*, actor: Any, transfer: TransferRequest, note: str) -> TransferRequest:
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the request is rejected.")})
    locked = _begin(transfer, "reject", actor)
    locked.decision_note = note.strip()
    _finish(locked, "reject", actor, reason=note)
    return locked


@transaction.atomic
def transfer_withdraw(*, actor: Any, transfer: TransferRequest, note: str = "") -> TransferRequest:
    locked = _begin(transfer, "withdraw", actor)
    locked.decision_note = (note or "").strip()
    _finish(locked, "withdraw", actor, reason=note)
    return locked


def _apply(locked: TransferRequest, *, actor: Any) -> None:
    """Close the old stationing and open the new one. Runs inside the caller's transaction."""
    if locked.state != S.APPROVED:
        raise TransferConflict(
            _("This request is already %(state)s.") % {"state": locked.get_state_display()}
        )
    reason = _("Transfer request #%(id)d took effect") % {"id": locked.pk}
    if locked.override_reason:
        reason += " · " + _("rule overridden by the center: %(why)s") % {
            "why": locked.override_reason
        }
    person = _stationed_person(locked)
    if person is not None:
        # The window's row is the lock of its headcount and its chief: of two requests filling
        # the last place (or the chief's post) at once, the second sees the first's stationing.
        Window.objects.select_for_update().filter(pk=locked.target_window.pk).first()
        violations = _rule_violations(locked)
        if violations:
            raise ValidationError(violations)
    try:
        with transaction.atomic(), audited(actor=actor, reason=reason):
            if locked.outgoing_stationing_id is not None:
                old = Stationing.objects.select_for_update().get(pk=locked.outgoing_stationing_id)
                if old.end_date is not None:
                    raise TransferConflict(
                        _("%(name)s's stationing was already closed; nothing was changed.")
                        % {"name": locked.outgoing.name}
                    )
                stationing_end(
                    old,
                    end_date=locked.effective_date,
                    end_reason=END_REASON[locked.kind],
                    is_early=locked.is_early,
                )
            if person is not None:
                new = Stationing(
                    staff=person,
                    window=locked.target_window,
                    post=locked.incoming_post,
                    start_date=locked.effective_date,
                )
                new.full_clean()
                new.save()
                locked.new_stationing = new
                fulfil_replacement_demand(locked)
    except IntegrityError as exc:
        raise ValidationError(
            _(
                "The stationing would overlap another stationing of the same person; nothing "
                "was changed."
            )
        ) from exc
    locked.applied_at = timezone.now()
    events.emit(events.STAFF_EVENT, staff_ids=[locked.outgoing_id, locked.incoming_id])
    _finish(locked, "apply", actor, reason=reason)


@transaction.atomic
def transfer_apply(
    *, actor: Any, transfer: TransferRequest, today: date | None = None
) -> TransferRequest:
    """Let an approved request take effect: old stationing closed, new opened, all or nothing."""
    today = today or timezone.localdate()
    locked = _begin(transfer, "apply", actor)
    if locked.effective_date > today:
        raise ValidationError(
            _("This request takes effect on %(date)s, not before.")
            % {"date": locked.effective_date.isoformat()}
        )
    _apply(locked, actor=actor)
    return locked


def transfer_apply_due(*, today: date | None = None, ids: list[int] | None = None) -> dict:
    """Apply every approved request dated ``today`` or earlier (the daily task). Each request in
    its own transaction; one that fails stays approved and is reported, the others go ahead.
    Safe to run twice: an applied request is no longer approved."""
    today = today or timezone.localdate()
    due = TransferRequest.objects.filter(state=S.APPROVED, effective_date__lte=today)
    if ids is not None:
        due = due.filter(pk__in=ids)
    applied, failed = [], {}
    for pk in due.order_by("effective_date", "id").values_list("pk", flat=True):
        try:
            transfer_apply(actor=None, transfer=TransferRequest(pk=pk), today=today)
            applied.append(pk)
        except (ValidationError, PermissionDenied) as exc:
            failed[pk] = "; ".join(getattr(exc, "messages", [str(exc)]))
    return {"applied": applied, "failed": failed}


def stationing_end(
    stationing: Stationing, *, end_date: date, end_reason: str, is_early: bool
) -> None:
    """Close a locked open stationing. A chief representative's letters end with it (valid
    until the day before), so the window is left explicitly without a chief
    (``selectors.windows_without_chief``) until a successor is appointed."""
    stationing.end_date = end_date
    stationing.end_reason = end_reason
    stationing.is_early_end = is_early
    stationing.full_clean()
    stationing.save()
    if stationing.post == Post.CHIEF_REPRESENTATIVE:
        last_day = max(end_date - timedelta(days=1), date.min)
        for letter in (
            ChiefAppointment.objects.select_for_update()
            .filter(stationing=stationing)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=last_day))
        ):
            letter.valid_until = max(last_day, letter.valid_from)
            letter.save(update_fields=["valid_until"])


def fulfil_replacement_demand(transfer: TransferRequest) -> None:
    """A stationing at a window where the center demanded a replacement fulfils the oldest open
    demand of that window."""
    demand = (
        ReplacementDemand.objects.select_for_update()
        .filter(window=transfer.target_window, fulfilled_at__isnull=True)
        .order_by("due_date", "id")
        .first()
    )
    if demand is not None:
        demand.fulfilled_by = transfer
        demand.fulfilled_at = timezone.now()
        demand.save(update_fields=["fulfilled_by", "fulfilled_at"])


# --- vetting -------------------------------------------------------------------------------------


@transaction.atomic
def vetting_record(
    *,
    actor: Any,
    transfer: TransferRequest,
    political_ok: bool,
    ability_ok: bool,
    fitness_ok: bool,
    decision: str,
    political_notes: str = "",
    ability_notes: str = "",
    fitness_notes: str = "",
) -> Vetting:
    """Record the center's vetting of the incoming person. A failed vetting rejects the request
    (it blocks the stationing); a pass lets the other side approve."""
    if not has_perm(actor, Perm.VETTING_RECORD):
        raise PermissionDenied(_("You are not allowed to do this."))
    locked = _lock(transfer.pk)
    if CENTER not in _roles(locked, actor):
        raise PermissionDenied(_("Only the center vets incoming staff."))
    if locked.state != S.VETTING:
        raise TransferConflict(
            _("This request is %(state)s; vetting is recorded only while it is being vetted.")
            % {"state": locked.get_state_display()}
        )
    if decision == VettingDecision.PASS and not (political_ok and ability_ok and fitness_ok):
        raise ValidationError(
            {"decision": _("A vetting can only pass when all three dimensions pass.")}
        )
    if decision not in VettingDecision.values:
        raise ValidationError({"decision": _("Choose pass or fail.")})
    vetting = Vetting(
        transfer=locked,
        staff_id=locked.incoming_id,
        political_ok=political_ok,
        political_notes=(political_notes or "").strip(),
        ability_ok=ability_ok,
        ability_notes=(ability_notes or "").strip(),
        fitness_ok=fitness_ok,
        fitness_notes=(fitness_notes or "").strip(),
        decision=decision,
        vetted_by=actor,
    )
    vetting.full_clean()
    with audited(actor=actor, reason=_("Vetting recorded")):
        vetting.save()
    if decision == VettingDecision.FAIL:
        locked.decision_note = _("%(name)s failed the center's vetting.") % {
            "name": locked.incoming.name
        }
        _finish(locked, "reject", actor, reason=locked.decision_note)
    else:
        notify.queue(locked, "vetted", actor)
    return vetting
