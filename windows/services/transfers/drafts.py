"""Raising and editing a transfer request, and its attachments."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from staff.models import Staff
from staff.permissions import Perm, has_perm

from ... import notify, rules
from ...models import Post, TransferAttachment, TransferRequest, Window
from .machine import (
    COUNTERPARTY,
    EDIT_FIELDS,
    EDITABLE,
    RAISER,
    S,
    TransferConflict,
    lock,
    roles_of,
    side_of,
)
from .validation import set_override, validate


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
    set_override(transfer, actor, override_reason)
    validate(transfer, today=today, actor=actor)
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
    locked = lock(transfer.pk)
    if locked.version != expected_version:
        raise TransferConflict(
            _(
                "Someone else changed this request while you were editing it. Reload the page "
                "to see their changes; yours were not saved."
            )
        )
    roles = roles_of(locked, actor)
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
    set_override(locked, actor, fields.pop("override_reason", None))
    for name, value in fields.items():
        setattr(locked, name, value)
    if "window" in fields and locked.window.department_id != locked.department_id:
        raise ValidationError({"window": _("The window belongs to another department.")})
    locked.reason = (locked.reason or "").strip()
    validate(locked, today=timezone.localdate(), actor=actor)
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
        locked = lock(transfer.pk)
        if not roles_of(locked, actor) & {RAISER, COUNTERPARTY} or actor is None:
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
