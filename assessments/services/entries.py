"""Recording deductions and bonuses, with joint liability and the notice text for the person."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.audit import audited
from core.workdays import add_working_days
from staff.models import Staff
from staff.permissions import Perm
from windows.models import Post, Stationing, Window

from .. import notify
from ..conf import conf
from ..models import AssessmentRule, Entry, RuleKind, RuleUnit
from . import evidence as evidence_service
from .common import dec, require
from .scores import lock_period_for_entries, period_for_date, score_refresh


def chief_on(window: Window, day: date) -> Staff | None:
    """The chief representative stationed at ``window`` on ``day`` (post "chief")."""
    stationing = (
        Stationing.objects.filter(
            window=window, post=Post.CHIEF_REPRESENTATIVE, start_date__lte=day
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("staff", "staff__user")
        .order_by("-start_date", "id")
        .first()
    )
    return stationing.staff if stationing else None


def notice_text(entry: Entry) -> str:
    """The notice the person receives (also shown after fast entry, for printing)."""
    values = {
        "name": entry.staff.name,
        "date": entry.date.strftime("%Y-%m-%d"),
        "rule": f"{entry.rule.code} {entry.rule.description}",
        "points": entry.points,
        "deadline": entry.appeal_deadline.strftime("%Y-%m-%d"),
        "notes": entry.notes or "—",
    }
    if entry.kind == RuleKind.BONUS:
        return (
            _(
                "%(name)s: on %(date)s you earned a bonus of %(points)s points under rule "
                "%(rule)s. Notes: %(notes)s."
            )
            % values
        )
    text = (
        _(
            "%(name)s: on %(date)s %(points)s points were deducted under rule %(rule)s. "
            "Notes: %(notes)s. If you disagree you may appeal in the system until %(deadline)s."
        )
        % values
    )
    if entry.joint_parent_id:
        text += " " + _(
            "This is your share as chief representative of the window (joint liability)."
        )
    return text


@transaction.atomic
def entry_record(
    *,
    actor: Any,
    staff: Staff,
    rule: AssessmentRule,
    date: date,
    quantity: Decimal | int = 1,
    window: Window | None = None,
    notes: str = "",
    files: list[Any] | None = None,
    joint_liability: bool | None = None,
    joint_share: Decimal | None = None,
) -> Entry:
    """Record a deduction or bonus in the month of ``date``; its points come from the rule.

    With joint liability (the rule's default, or ``joint_liability=True``), a deduction on a
    window also records the chief representative's share as a linked entry. Raises
    ValidationError (closed period, inactive rule, missing evidence, bad quantity or date).
    """
    require(actor, Perm.ASSESSMENT_ENTRY_EDIT)
    files = list(files or [])
    quantity = Decimal(str(quantity))
    errors: dict[str, list[str]] = {}
    if not rule.active:
        errors.setdefault("rule", []).append(_("This rule is no longer in force."))
    if quantity <= 0:
        errors.setdefault("quantity", []).append(_("The quantity must be greater than zero."))
    elif rule.unit in (RuleUnit.OCCURRENCE, RuleUnit.CASE) and quantity != quantity.to_integral():
        errors.setdefault("quantity", []).append(_("Occurrences and cases are whole numbers."))
    today = timezone.localdate()
    if date > today:
        errors.setdefault("date", []).append(_("The date cannot be in the future."))
    if rule.evidence_required and not files:
        errors.setdefault("files", []).append(_("This rule requires evidence."))
    if errors:
        raise ValidationError(errors)
    # The month's row, locked FOR SHARE before anything is written: a close (FOR UPDATE) waits
    # for this entry and counts it, or this entry waits for the close and is refused.
    period = lock_period_for_entries(period_for_date(date))
    if period.is_closed:
        raise ValidationError({"date": [_("The month of this date is closed.")]})
    points = dec(rule.points * quantity)
    deadline = add_working_days(today, conf("APPEAL_WORKING_DAYS"))
    entry = Entry(
        period=period,
        staff=staff,
        window=window,
        rule=rule,
        kind=rule.kind,
        date=date,
        quantity=quantity,
        points=points,
        original_points=points,
        notes=notes.strip(),
        appeal_deadline=deadline,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    entry.full_clean()
    with audited(actor=actor, reason=_("Assessment entry")):
        entry.save()
        evidence_service.attach(actor=actor, files=files, entry=entry)
        shares = []
        wants_share = rule.joint_liability if joint_liability is None else joint_liability
        if wants_share and window is not None and rule.kind == RuleKind.DEDUCTION:
            chief = chief_on(window, date)
            if chief is not None and chief.pk != staff.pk:
                share = Decimal(
                    str(joint_share if joint_share is not None else conf("JOINT_LIABILITY_SHARE"))
                )
                if not Decimal(0) < share <= Decimal(1):
                    raise ValidationError({"joint_share": [_("The share is between 0 and 1.")]})
                child = Entry.objects.create(
                    period=period,
                    staff=chief,
                    window=window,
                    rule=rule,
                    kind=rule.kind,
                    date=date,
                    quantity=quantity,
                    points=dec(points * share),
                    original_points=dec(points * share),
                    notes=_("Joint liability for %(name)s: %(notes)s")
                    % {"name": staff.name, "notes": entry.notes or rule.description},
                    joint_parent=entry,
                    joint_share=share,
                    appeal_deadline=deadline,
                    recorded_by=entry.recorded_by,
                )
                shares.append(child)
    score_refresh(
        period=period,
        staff_ids=[entry.staff_id, *(share.staff_id for share in shares)],
        reason=_("New assessment entry"),
    )
    events.emit(events.STAFF_EVENT, staff_ids=[entry.staff_id, *(s.staff_id for s in shares)])
    items = [entry, *shares]
    people = Staff.objects.in_bulk({item.staff_id for item in items})
    for item in items:
        item.staff = people[item.staff_id]
    notify.entries_recorded(items)
    return entry
