"""Every write of the inspections app: checklists, rounds, findings, and a finding's deduction.

Rules (each a translated ValidationError, nothing written):

* a round has at least one inspector and one window; a weekly round is led by a leader; the
  inspectors and the leader are center users; it is not dated in the future;
* a finding is recorded by one of its round's inspectors (or its leader) while the round is
  open, at a window the round covers, on an active item of the round's checklist; a finding that
  cites a rule names the person, stationed at that window on that day; photos are images,
  validated like assessment evidence (type, size, signature);
* a recorded finding with a rule becomes one deduction entry (``finding_enter``) — the
  assessments entry service records it, citing the rule, with the photos as its evidence — or is
  withdrawn (``finding_withdraw``, with a reason); either only once, from "recorded";
* closing a round enters every recorded finding with a rule, all or none.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import AssessmentRule, RuleKind
from assessments.services.entries import entry_record
from assessments.services.evidence import validate_upload
from core.audit import audited
from staff.models import Role, Staff
from staff.permissions import Perm, has_perm, role_of
from windows.models import Stationing, Window

from .conf import conf
from .models import (
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    FindingPhoto,
    FindingStatus,
    Round,
    RoundKind,
    RoundStatus,
)


def _require(actor: Any, perm: str) -> None:
    if not has_perm(actor, perm):
        raise PermissionDenied(_("You are not allowed to do this."))


# --- checklists ----------------------------------------------------------------------------------


def _check_rule(rule: AssessmentRule | None) -> None:
    if rule is not None and (not rule.active or rule.kind != RuleKind.DEDUCTION):
        raise ValidationError(
            {"rule": [_("%(code)s is not a deduction rule in force.") % {"code": rule.code}]}
        )


@transaction.atomic
def checklist_save(
    *,
    actor: Any,
    name: str,
    items: list[tuple[str, AssessmentRule | None]],
    kind: str = "",
    active: bool = True,
    template: ChecklistTemplate | None = None,
) -> ChecklistTemplate:
    """Create a checklist template, or update ``template``: its items become ``items`` (text and
    optional rule, in order). An existing item with the same text is kept (findings cite it);
    an item no longer listed is deactivated, never deleted."""
    _require(actor, Perm.CHECKLIST_EDIT)
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the checklist a name.")]
    elif ChecklistTemplate.objects.filter(name=name).exclude(pk=getattr(template, "pk", None)):
        errors["name"] = [_("A checklist with this name already exists.")]
    texts = [(text or "").strip() for text, _rule in items]
    if not any(texts):
        errors["items"] = [_("List at least one item.")]
    elif len(set(texts)) != len(texts) or not all(texts):
        errors["items"] = [_("Every item needs its own, non-empty text.")]
    if errors:
        raise ValidationError(errors)
    for _text, rule in items:
        _check_rule(rule)
    with audited(actor=actor, reason=_("Checklist saved")):
        if template is None:
            template = ChecklistTemplate.objects.create(
                name=name, kind=kind, active=active, created_by=actor
            )
            existing: dict[str, ChecklistItem] = {}
        else:
            template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
            template.name, template.kind, template.active = name, kind, active
            template.save()
            existing = {item.text: item for item in template.items.all()}
        for position, (text, rule) in enumerate(
            zip(texts, [r for _t, r in items], strict=True), start=1
        ):
            item = existing.pop(text, None)
            if item is None:
                ChecklistItem.objects.create(
                    template=template, position=position, text=text, rule=rule
                )
            elif (item.position, item.rule_id, item.active) != (position, rule and rule.pk, True):
                item.position, item.rule, item.active = position, rule, True
                item.save()
        for item in existing.values():
            if item.active:
                item.active = False
                item.save(update_fields=["active"])
    return template


# --- rounds --------------------------------------------------------------------------------------


def _center_users(users: list[Any]) -> bool:
    return all(role_of(user) == Role.CENTER_ADMIN for user in users)


@transaction.atomic
def round_open(
    *,
    actor: Any,
    kind: str,
    checklist: ChecklistTemplate,
    inspectors: list[Any],
    windows: list[Window],
    leader: Any = None,
    started_at: datetime | None = None,
    notes: str = "",
) -> Round:
    """Start an inspection round (see the module docstring for the rules)."""
    _require(actor, Perm.INSPECTION_RECORD)
    started_at = started_at or timezone.now()
    errors: dict[str, list[str]] = {}
    if kind not in RoundKind.values:
        errors["kind"] = [_("Choose the kind of round.")]
    if not checklist.active:
        errors["checklist"] = [_("This checklist is no longer in use.")]
    if not inspectors:
        errors["inspectors"] = [_("Name at least one inspector.")]
    elif not _center_users(inspectors):
        errors["inspectors"] = [_("Inspectors are users of the center.")]
    if kind == RoundKind.WEEKLY and leader is None:
        errors["leader"] = [_("A weekly round is led by a leader: name them.")]
    elif leader is not None and not _center_users([leader]):
        errors["leader"] = [_("The leader is a user of the center.")]
    if not windows:
        errors["windows"] = [_("Choose the windows the round covers.")]
    elif any(not w.active for w in windows):
        errors["windows"] = [_("A round covers active windows only.")]
    if started_at > timezone.now() + timedelta(minutes=conf("FUTURE_TOLERANCE_MINUTES")):
        errors["started_at"] = [_("A round cannot start in the future.")]
    if errors:
        raise ValidationError(errors)
    with audited(actor=actor, reason=_("Inspection round started")):
        round_ = Round.objects.create(
            kind=kind,
            checklist=checklist,
            leader=leader,
            started_at=started_at,
            notes=(notes or "").strip(),
            created_by=actor,
        )
        round_.inspectors.set(inspectors)
        round_.windows.set(windows)
    return round_


def _is_inspector(actor: Any, round_: Round) -> bool:
    return round_.leader_id == actor.pk or round_.inspectors.filter(pk=actor.pk).exists()


@transaction.atomic
def round_close(*, actor: Any, round: Round) -> tuple[Round, list[Finding]]:
    """End an open round: every recorded finding citing a rule becomes its deduction (all or
    none: the first that cannot is named in the error). Returns the round and those findings."""
    _require(actor, Perm.INSPECTION_RECORD)
    locked = Round.objects.select_for_update().get(pk=round.pk)
    if not locked.is_open:
        raise ValidationError(_("This round is already closed."))
    pending = list(
        locked.findings.filter(status=FindingStatus.RECORDED, rule__isnull=False).order_by("id")
    )
    entered = []
    for finding in pending:
        try:
            entered.append(finding_enter(actor=actor, finding=finding))
        except ValidationError as exc:
            raise ValidationError(
                _("Finding at window %(window)s: %(error)s")
                % {"window": finding.window.code, "error": " ".join(exc.messages)}
            ) from exc
    locked.status = RoundStatus.CLOSED
    locked.ended_at = timezone.now()
    with audited(actor=actor, reason=_("Inspection round closed")):
        locked.save(update_fields=["status", "ended_at"])
    return locked, entered


# --- findings ------------------------------------------------------------------------------------


def _check_photos(photos: list[Any]) -> list[str]:
    if len(photos) > conf("MAX_PHOTOS"):
        raise ValidationError(
            {"photos": [_("At most %(n)d photos per finding.") % {"n": conf("MAX_PHOTOS")}]}
        )
    types = []
    for upload in photos:
        if Path(getattr(upload, "name", "") or "").suffix.lower() not in conf("PHOTO_TYPES"):
            raise ValidationError(
                {
                    "photos": [
                        _("%(name)s: only photos are accepted (%(types)s).")
                        % {"name": upload.name, "types": ", ".join(conf("PHOTO_TYPES"))}
                    ]
                }
            )
        try:
            types.append(validate_upload(upload))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
    return types


def stationed_at(person: Staff, window: Window, when: datetime) -> bool:
    day = timezone.localdate(when)
    return (
        Stationing.objects.filter(staff=person, window=window, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .exists()
    )


@transaction.atomic
def finding_record(
    *,
    actor: Any,
    round: Round,
    window: Window,
    note: str = "",
    staff: Staff | None = None,
    item: ChecklistItem | None = None,
    rule: AssessmentRule | None = None,
    photos: list[Any] | None = None,
    observed_at: datetime | None = None,
) -> Finding:
    """Record a finding of an open round. ``rule`` defaults to the checklist item's rule."""
    _require(actor, Perm.INSPECTION_RECORD)
    locked = Round.objects.select_for_update().get(pk=round.pk)
    if not locked.is_open:
        raise ValidationError(_("This round is closed; findings can no longer be added."))
    if not _is_inspector(actor, locked):
        raise PermissionDenied(_("Only the round's inspectors record its findings."))
    photos = list(photos or [])
    note = (note or "").strip()
    observed_at = observed_at or timezone.now()
    if rule is None and item is not None:
        rule = item.rule
    errors: dict[str, list[str]] = {}
    if not locked.windows.filter(pk=window.pk).exists():
        errors["window"] = [
            _("Window %(window)s is not covered by this round.") % {"window": window.code}
        ]
    if item is not None and (item.template_id != locked.checklist_id or not item.active):
        errors["item"] = [_("Choose an item of this round's checklist.")]
    if item is None and not note:
        errors["note"] = [_("Describe what was found, or choose a checklist item.")]
    if rule is not None and staff is None:
        errors["staff"] = [_("A finding that costs points names the person concerned.")]
    elif (
        staff is not None
        and not errors.get("window")
        and not stationed_at(staff, window, observed_at)
    ):
        errors["staff"] = [
            _("%(name)s is not stationed at window %(window)s.")
            % {"name": staff.name, "window": window.code}
        ]
    if observed_at < locked.started_at or observed_at > timezone.now() + timedelta(
        minutes=conf("FUTURE_TOLERANCE_MINUTES")
    ):
        errors["observed_at"] = [_("The time lies outside the round.")]
    if errors:
        raise ValidationError(errors)
    _check_rule(rule)
    types = _check_photos(photos)
    finding = Finding(
        round=locked,
        window=window,
        staff=staff,
        item=item,
        rule=rule,
        note=note,
        observed_at=observed_at,
        recorded_by=actor,
    )
    with audited(actor=actor, reason=_("Inspection finding recorded")):
        finding.save()
        for upload, content_type in zip(photos, types, strict=True):
            photo = FindingPhoto(
                finding=finding,
                original_name=Path(upload.name).name[:200],
                content_type=content_type,
                size=upload.size,
                uploaded_by=actor,
            )
            photo.file.save(upload.name, upload, save=False)
            photo.save()
    return finding


def _lock_recorded(finding: Finding) -> Finding:
    locked = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("round", "window", "staff", "rule", "item")
        .get(pk=finding.pk)
    )
    if locked.status != FindingStatus.RECORDED:
        raise ValidationError(
            _("This finding is already %(status)s.") % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def finding_withdraw(*, actor: Any, finding: Finding, reason: str) -> Finding:
    """Withdraw a recorded finding (before it became a deduction), with the reason."""
    _require(actor, Perm.INSPECTION_RECORD)
    locked = _lock_recorded(finding)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for withdrawing the finding.")]})
    locked.status = FindingStatus.WITHDRAWN
    locked.withdraw_reason = reason
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    with audited(actor=actor, reason=_("Inspection finding withdrawn")):
        locked.save(update_fields=["status", "withdraw_reason", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def finding_enter(*, actor: Any, finding: Finding) -> Finding:
    """Turn a recorded finding that cites a rule into its deduction entry, once: the entry is
    recorded by ``assessments.services.entries.entry_record`` (the rule's points, the window's
    joint liability, the appeal deadline, the notice to the person), with the finding's photos
    copied as its evidence. Raises ValidationError when already entered or withdrawn, without a
    rule or person, or when the entry service refuses (closed month, evidence the rule needs)."""
    _require(actor, Perm.INSPECTION_RECORD)
    locked = _lock_recorded(finding)
    if locked.rule is None or locked.staff is None:
        raise ValidationError(
            _("Only a finding that cites a rule and names a person is a deduction.")
        )
    photos = list(locked.photos.all())
    files = [File(photo.file.open("rb"), name=photo.original_name) for photo in photos]
    try:
        entry = entry_record(
            actor=actor,
            staff=locked.staff,
            rule=locked.rule,
            date=timezone.localdate(locked.observed_at),
            window=locked.window,
            notes=_("Inspection round #%(round)s, %(time)s: %(note)s")
            % {
                "round": locked.round_id,
                "time": timezone.localtime(locked.observed_at).strftime("%Y-%m-%d %H:%M"),
                "note": locked.note or (locked.item.text if locked.item else ""),
            },
            files=files,
        )
    finally:
        for handle in files:
            handle.close()
    locked.entry = entry
    locked.status = FindingStatus.ENTERED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    with audited(actor=actor, reason=_("Inspection finding recorded as a deduction")):
        locked.save(update_fields=["entry", "status", "decided_by", "decided_at"])
    return locked
