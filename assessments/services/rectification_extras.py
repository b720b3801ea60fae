"""Around a rectification case (issue #18): a deadline extension the rated side asks for and the
center decides, and the center's spot-check call-backs (回访) to the citizen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from core.workdays import add_working_days
from staff.models import Role
from staff.permissions import Perm, can_use_department, role_of

from .. import notify
from ..conf import conf
from ..models import (
    OPEN_RECTIFICATION,
    ExtensionStatus,
    Rating,
    RatingCallBack,
    RatingLevel,
    Rectification,
    RectificationExtension,
    RectificationLog,
    RectificationStatus,
)
from . import rating_months
from .common import require


def is_rated_side(user: Any, case: Rectification) -> bool:
    """Window staff may ask only for their own case, or as the window's chief representative
    on the day; a liaison for their departments (the scope already limits what they see)."""
    role = role_of(user)
    if role == Role.LIAISON:
        return can_use_department(user, case.department_id)
    if role != Role.STAFF:
        return True
    person = getattr(user, "staff_profile", None)
    if person is None:
        return False
    if person.pk == case.staff_id:
        return True
    from windows.models import Post, Stationing

    return (
        Stationing.objects.filter(
            staff=person, window_id=case.window_id, post=Post.CHIEF_REPRESENTATIVE
        )
        .current_on(timezone.localdate())
        .exists()
    )


@transaction.atomic
def extension_request(
    *, actor: Any, case: Rectification, days: int, reason: str
) -> RectificationExtension:
    """Ask for ``days`` more working days on an open case; one pending request at a time.
    Raises PermissionDenied (not the rated side) or ValidationError."""
    require(actor, Perm.RECTIFICATION_EXTEND_REQUEST)
    locked = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("rating__window")
        .get(pk=case.pk)
    )
    if not is_rated_side(actor, locked):
        raise PermissionDenied(_("Only the rated side may ask for more time."))
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Please give a reason.")]
    most = conf("RECTIFICATION_EXTENSION_MAX_WORKING_DAYS")
    if not isinstance(days, int) or not 1 <= days <= most:
        errors["days"] = [_("Ask for 1 to %(n)d working days.") % {"n": most}]
    if errors:
        raise ValidationError(errors)
    if locked.status not in OPEN_RECTIFICATION:
        raise ValidationError(_("The case is closed."))
    if locked.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError(_("This case already has a request awaiting decision."))
    extension = RectificationExtension(
        case=locked,
        requested_by=actor,
        requested_days=days,
        reason=reason,
        deadline_before=locked.deadline,
    )
    try:
        with transaction.atomic(), audited(actor=actor, reason=reason):
            extension.save()
    except IntegrityError:
        raise ValidationError(_("This case already has a request awaiting decision.")) from None
    RectificationLog.objects.create(
        case=locked,
        actor=actor,
        from_status=locked.status,
        to_status=locked.status,
        note=_("Asked for %(days)d more working days: %(reason)s")
        % {"days": days, "reason": reason},
    )
    notify.extension_requested(extension)
    return extension


@transaction.atomic
def extension_decide(
    *, actor: Any, extension: RectificationExtension, approve: bool, note: str = ""
) -> RectificationExtension:
    """The center approves (the deadline moves by the working days asked, from the current
    deadline, and the log says so) or refuses (a note is required)."""
    require(actor, Perm.RECTIFICATION_EXTEND_DECIDE)
    locked = (
        RectificationExtension.objects.select_for_update(of=("self",))
        .select_related("case__rating__window")
        .get(pk=extension.pk)
    )
    note = (note or "").strip()
    if locked.status != ExtensionStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not approve and not note:
        raise ValidationError({"note": [_("Please give a reason.")]})
    case = Rectification.objects.select_for_update(of=("self",)).get(pk=locked.case_id)
    if approve and case.status not in OPEN_RECTIFICATION:
        raise ValidationError(_("The case is closed."))
    locked.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    with audited(actor=actor, reason=note or _("Extension approved")):
        if approve:
            before = case.deadline
            case.deadline = add_working_days(before, locked.requested_days)
            case.save(update_fields=["deadline"])
            locked.deadline_before, locked.deadline_after = before, case.deadline
            text = _("Deadline extended from %(before)s to %(after)s.") % {
                "before": before.isoformat(),
                "after": case.deadline.isoformat(),
            }
        else:
            text = _("Extension refused: %(note)s") % {"note": note}
        locked.save()
        RectificationLog.objects.create(
            case=case,
            actor=actor,
            from_status=case.status,
            to_status=case.status,
            note=f"{text} {note}".strip() if approve and note else text,
        )
    case.rating = locked.case.rating
    locked.case = case
    notify.extension_decided(locked)
    return locked


@transaction.atomic
def callback_record(
    *,
    actor: Any,
    rating: Rating,
    called_at: datetime,
    reached: bool,
    confirms_rating: bool | None = None,
    satisfaction_after: str = "",
    note: str = "",
    case: Rectification | None = None,
) -> RatingCallBack:
    """Record a call-back to the citizen (the center). Without reaching the citizen there is no
    confirmation nor satisfaction to record."""
    require(actor, Perm.RATING_CALLBACK_RECORD)
    if case is None:
        case = Rectification.objects.filter(rating=rating).first()
    elif case.rating_id != rating.pk:
        raise ValidationError(_("The case is not this rating's."))
    if timezone.is_naive(called_at):
        called_at = timezone.make_aware(called_at)
    errors: dict[str, list[str]] = {}
    if called_at > timezone.now():
        errors["called_at"] = [_("The call is in the future.")]
    if satisfaction_after and satisfaction_after not in RatingLevel.values:
        errors["satisfaction_after"] = [_("Unknown level.")]
    if not reached and (confirms_rating is not None or satisfaction_after):
        errors["reached"] = [_("The citizen was not reached: nothing to confirm.")]
    if errors:
        raise ValidationError(errors)
    call = RatingCallBack(
        rating=rating,
        case=case,
        called_at=called_at,
        caller=actor if getattr(actor, "pk", None) else None,
        reached=reached,
        confirms_rating=confirms_rating if reached else None,
        satisfaction_after=satisfaction_after,
        note=(note or "").strip(),
    )
    with audited(actor=actor, reason=_("Call-back to the citizen")):
        call.save()
        if case is not None and satisfaction_after:
            _satisfaction_after_heard(case, satisfaction_after)
    return call


def _satisfaction_after_heard(case: Rectification, level: str) -> None:
    """A call-back after the case was rectified is the citizen's satisfaction after it: it
    becomes the case's (the latest call wins) and so counts in the post-rectification rate,
    the month's rows changed in this transaction. A call before the rectification was done
    says nothing about it and stays a call-back only."""
    locked = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("rating")
        .get(pk=case.pk)
    )
    if locked.status != RectificationStatus.DONE or locked.satisfaction_after == level:
        return
    before = rating_months.snapshot(locked.rating, locked)
    locked.satisfaction_after = level
    locked.save(update_fields=["satisfaction_after"])
    rating_months.apply(before=[before], after=[rating_months.snapshot(locked.rating, locked)])
    case.satisfaction_after = level
