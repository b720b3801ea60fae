"""The case system's cases (issue #18): pushed in batches by a system client of scope
``cases.push`` (a repeat of a case number updates the case, never duplicates it), each given its
promised deadline when written (the accepted day + the service item's promised working days,
``core.workdays``). An overdue case (completed after its deadline, or still open past it) gets a
PROPOSED deduction; the center confirms selected proposals in one step, each recorded through the
entry service under ``ASSESSMENTS["OVERDUE_CASE_RULE"]`` (the person is notified and may appeal),
or dismisses one with a reason. Proposals are rewritten from the cases (on every push and when
the center reruns them): a confirmed or dismissed one is never touched, so nothing is counted
twice; a proposal whose case is no longer overdue (corrected by the case system) is withdrawn
(kept, marked ``withdrawn``; proposed again if the case becomes overdue again).

Whom a case counts against: the person the case system names (``staff_number``); without one,
the window's chief representative on the day the case was accepted; with neither, no proposal.

Long because: one flow — a pushed case, its deadline, its proposal and its confirmation or
dismissal — over shared deadline and chief-on-the-day lookups; split, each part would import the
others' private helpers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited, log_bulk
from core.feeds import parse_moment
from core.models import SystemClient
from core.system_clients import client_audited
from core.workdays import add_working_days, working_days_between
from staff.models import Staff
from staff.permissions import Perm
from windows.models import Post, ServiceItem, Stationing, Window

from ..conf import conf
from ..models import AssessmentRule
from ..rule_models import (
    CASE_CLOSED_WITHOUT_COUNT,
    CaseDeduction,
    CaseDeductionState,
    CaseRecord,
    CaseStatus,
)
from .common import require
from .entries import entry_record
from .scores import period_for_date

SCOPE = "cases.push"
# a proposal in these states follows its case; confirmed and dismissed ones never change
OPEN_STATES = (CaseDeductionState.PROPOSED, CaseDeductionState.WITHDRAWN)


def deadline_for(accepted: date, promised: int | None) -> date | None:
    """The promised deadline: ``promised`` working days after the accepted day (None: none)."""
    if promised is None:
        return None
    return add_working_days(accepted, promised)


@dataclass
class CaseOutcome:
    index: int
    case_number: str
    result: str  # "created", "updated", "duplicate", "error"
    errors: list[str] = field(default_factory=list)


FIELDS = (
    "service_item_id",
    "window_id",
    "department_id",
    "staff_id",
    "accepted_at",
    "completed_at",
    "status",
    "promised_working_days",
    "deadline",
)


def cases_push(*, client: SystemClient, items: list[dict[str, Any]]) -> list[CaseOutcome]:
    """Record the case system's batch (see ``_push``). Two senders racing with the same new case
    number: the later one's INSERT fails on the unique number once the first has committed, so
    the batch is read and written again, finding that case stored (never a 500, never a second
    row)."""
    try:
        return _push(client=client, items=items)
    except IntegrityError:
        return _push(client=client, items=items)


def _stored(numbers: set[str]) -> dict[str, CaseRecord]:
    return {c.case_number: c for c in CaseRecord.objects.filter(case_number__in=numbers)}


def _push(*, client: SystemClient, items: list[dict[str, Any]]) -> list[CaseOutcome]:
    """Record the case system's batch. Each item: ``case_number``, ``service_item`` (its code),
    ``window`` (its code), optional ``staff_number``, ``accepted_at`` and optional
    ``completed_at`` (ISO 8601; without a zone, the center's), ``status`` (accepted, completed,
    returned, withdrawn). Good rows are stored even when others are bad; a case already stored
    is updated (``updated``), or left alone when nothing changed (``duplicate``). Then the
    proposals of the batch's cases are rewritten."""
    if not client.has_scope(SCOPE):
        raise PermissionDenied(_("This client may not push cases."))
    numbers = [str(item.get("case_number") or "").strip() for item in items]
    codes = {str(item.get("service_item") or "").strip() for item in items} - {""}
    services = {s.code: s for s in ServiceItem.objects.filter(code__in=codes)}
    window_codes = {str(item.get("window") or "").strip() for item in items} - {""}
    windows = {w.code: w for w in Window.objects.filter(code__in=window_codes)}
    staff_numbers = {str(item.get("staff_number") or "").strip() for item in items} - {""}
    people = dict(
        Staff.objects.filter(staff_number__in=staff_numbers).values_list("staff_number", "id")
    )
    stored = _stored(set(numbers))
    now = timezone.now()
    deadlines: dict[tuple[date, int | None], date | None] = {}
    outcomes: list[CaseOutcome] = []
    writes: dict[str, dict[str, Any]] = {}
    for index, item in enumerate(items):
        number = numbers[index]
        errors = []
        if not number or len(number) > 80:
            errors.append(_("A case number of 1 to 80 characters is required."))
        service = services.get(str(item.get("service_item") or "").strip())
        if service is None:
            errors.append(_("Unknown service item."))
        window = windows.get(str(item.get("window") or "").strip())
        if window is None:
            errors.append(_("Unknown window."))
        staff_number = str(item.get("staff_number") or "").strip()
        staff_id = people.get(staff_number) if staff_number else None
        if staff_number and staff_id is None:
            errors.append(_("Unknown staff number."))
        accepted = parse_moment(item.get("accepted_at"))
        completed = parse_moment(item.get("completed_at")) if item.get("completed_at") else None
        if accepted is None:
            errors.append(_("The accepted time is not a date and time."))
        elif accepted > now + timedelta(minutes=5):
            errors.append(_("The accepted time is in the future."))
        if item.get("completed_at") and completed is None:
            errors.append(_("The completed time is not a date and time."))
        elif completed is not None:
            if completed > now + timedelta(minutes=5):
                errors.append(_("The completed time is in the future."))
            elif accepted is not None and completed < accepted:
                errors.append(_("The case cannot be completed before it was accepted."))
        status = str(item.get("status") or "").strip()
        if status not in CaseStatus.values:
            errors.append(
                _("The status is one of: %(values)s.") % {"values": ", ".join(CaseStatus.values)}
            )
        elif status == CaseStatus.COMPLETED and completed is None:
            errors.append(_("A completed case needs its completed time."))
        elif status == CaseStatus.ACCEPTED and completed is not None:
            errors.append(_("A case in progress has no completed time."))
        if errors:
            outcomes.append(CaseOutcome(index, number, "error", errors))
            continue
        promised = service.promised_working_days
        key = (timezone.localdate(accepted), promised)
        if key not in deadlines:
            deadlines[key] = deadline_for(*key)
        writes[number] = {
            "service_item_id": service.pk,
            "window_id": window.pk,
            "department_id": window.department_id,
            "staff_id": staff_id,
            "accepted_at": accepted,
            "completed_at": completed,
            "status": status,
            "promised_working_days": promised,
            "deadline": deadlines[key],
        }
        current = stored.get(number)
        if current is None:
            result = "created" if number not in {o.case_number for o in outcomes} else "updated"
        elif all(getattr(current, f) == writes[number][f] for f in FIELDS):
            result = "duplicate"
        else:
            result = "updated"
        outcomes.append(CaseOutcome(index, number, result))
    changed = [
        n
        for n, values in writes.items()
        if n not in stored or any(getattr(stored[n], f) != values[f] for f in FIELDS)
    ]
    if changed:
        new = [
            CaseRecord(case_number=n, client=client, **writes[n])
            for n in changed
            if n not in stored
        ]
        updated = []
        for number in changed:
            if number in stored:
                case = stored[number]
                for name, value in writes[number].items():
                    setattr(case, name, value)
                case.updated_at = now
                updated.append(case)
        with transaction.atomic(), client_audited(client, reason=_("Cases from the case system")):
            # one INSERT for the new cases; one audit entry for the batch, as the client
            CaseRecord.objects.bulk_create(new, batch_size=1000)
            if not all(c.pk for c in new):  # a backend returning no ids (not PostgreSQL/SQLite)
                ids = dict(
                    CaseRecord.objects.filter(
                        case_number__in=[c.case_number for c in new]
                    ).values_list("case_number", "id")
                )
                for case in new:
                    case.pk = ids[case.case_number]
            # one UPDATE per changed case: Django's bulk_update builds a CASE per field and
            # row, which costs seconds of Python for a few hundred rows
            for case in updated:
                CaseRecord.objects.filter(pk=case.pk).update(
                    **{name: getattr(case, name) for name in (*FIELDS, "updated_at")}
                )
            log_bulk(
                actor=None,
                model=CaseRecord,
                action="push",
                count=len(changed),
                reason=_("Cases from %(client)s: %(new)d new, %(updated)d updated")
                % {"client": client.audit_label, "new": len(new), "updated": len(updated)},
            )
            proposals_sync(cases=[*new, *updated])
    return outcomes


# --- the proposals ---------------------------------------------------------------------------


def overdue_day(case: CaseRecord) -> date:
    """The day the case became overdue: completed late, its completion day; still open, the day
    after the deadline."""
    return case.completed_on() or (case.deadline + timedelta(days=1))


def _overdue_days(case: CaseRecord, today: date, memo: dict | None = None) -> int:
    """Working days after the deadline up to the completion (or today); at least 1."""
    span = (case.deadline, case.completed_on() or today)
    if memo is None:
        memo = {}
    if span not in memo:
        memo[span] = max(working_days_between(*span), 1)
    return memo[span]


def proposals_sync(*, cases: list[CaseRecord], today: date | None = None) -> dict[str, int]:
    """Rewrite the proposals of ``cases``: an overdue case without one gets one, a proposal whose
    case is no longer overdue (or counts against nobody) is withdrawn, an open proposal follows
    its case (days overdue, person). Confirmed and dismissed ones are never touched."""
    today = today or timezone.localdate()
    existing = {
        d.case_id: d for d in CaseDeduction.objects.filter(case_id__in=[c.pk for c in cases])
    }
    chiefs = _chiefs([c for c in cases if c.staff_id is None])
    wanted: list[tuple[CaseRecord, CaseDeduction | None, int]] = []
    withdrawn = []
    for case in cases:
        current = existing.get(case.pk)
        if current is not None and current.state not in OPEN_STATES:
            continue
        person = None
        if case.is_overdue(today):
            person = case.staff_id
            if person is None:
                person = _chief_on(chiefs, case.window_id, timezone.localdate(case.accepted_at))
        if person is None:
            if current is not None and current.state == CaseDeductionState.PROPOSED:
                withdrawn.append(current)
            continue
        wanted.append((case, current, person))
    departments = dict(
        Staff.objects.filter(pk__in={p for _c, _d, p in wanted}).values_list("id", "department_id")
    )
    created, updated = [], []
    memo: dict = {}  # one calendar read per distinct (deadline, end), not per case
    for case, current, person in wanted:
        days = _overdue_days(case, today, memo)
        department = departments[person]
        if current is None:
            created.append(
                CaseDeduction(
                    case=case, staff_id=person, department_id=department, overdue_days=days
                )
            )
        elif (current.staff_id, current.overdue_days, current.state) != (
            person,
            days,
            CaseDeductionState.PROPOSED,
        ):
            current.staff_id, current.overdue_days = person, days
            current.department_id = department
            current.state = CaseDeductionState.PROPOSED  # overdue again after a withdrawal
            updated.append(current)
    CaseDeduction.objects.bulk_create(created, batch_size=1000)
    CaseDeduction.objects.bulk_update(
        updated, ["staff", "department", "overdue_days", "state"], batch_size=1000
    )
    if withdrawn:  # kept, marked: the history shows what was proposed and why it went
        CaseDeduction.objects.filter(
            pk__in=[d.pk for d in withdrawn], state=CaseDeductionState.PROPOSED
        ).update(state=CaseDeductionState.WITHDRAWN)
    counts = {"created": len(created), "updated": len(updated), "withdrawn": len(withdrawn)}
    if any(counts.values()):
        log_bulk(
            actor=None,
            model=CaseDeduction,
            action="propose",
            count=sum(counts.values()),
            reason=_(
                "Overdue-case deductions: %(created)d proposed, %(updated)d updated, "
                "%(withdrawn)d withdrawn"
            )
            % counts,
        )
    return counts


def _chiefs(cases: list[CaseRecord]) -> dict[int, list[tuple[date, date | None, int]]]:
    """The chief-representative stationings of the cases' windows (one query)."""
    if not cases:
        return {}
    found: dict[int, list[tuple[date, date | None, int]]] = {}
    rows = (
        Stationing.objects.filter(
            window_id__in={c.window_id for c in cases}, post=Post.CHIEF_REPRESENTATIVE
        )
        .order_by("-start_date", "id")
        .values_list("window_id", "start_date", "end_date", "staff_id")
    )
    for window_id, start, end, staff_id in rows:
        found.setdefault(window_id, []).append((start, end, staff_id))
    return found


def _chief_on(chiefs, window_id: int, day: date) -> int | None:
    """As ``entries.chief_on``: the latest-started chief stationing covering ``day``."""
    for start, end, staff_id in chiefs.get(window_id, []):
        if start <= day and (end is None or end >= day):
            return staff_id
    return None


def _may_need_a_proposal(today: date) -> list[CaseRecord]:
    """Every case that may need its proposal written again: past its deadline (open, or
    completed late) or with an open proposal, and not yet confirmed or dismissed."""
    return list(
        CaseRecord.objects.filter(Q(deduction__isnull=True) | Q(deduction__state__in=OPEN_STATES))
        .filter(
            Q(deduction__state=CaseDeductionState.PROPOSED)
            | Q(
                deadline__lt=today,
                completed_at__isnull=True,
            )
            | Q(deadline__isnull=False, completed_at__date__gt=F("deadline"))
        )
        .exclude(Q(deduction__isnull=True) & Q(status__in=CASE_CLOSED_WITHOUT_COUNT))
        .select_related("window")
    )


@transaction.atomic
def case_deductions_propose(*, actor: Any, today: date | None = None) -> dict[str, int]:
    """Rerun the proposals over every case that may need one, at the center's request (the
    daily sweep below does the same unasked). Idempotent."""
    require(actor, Perm.ASSESSMENT_ENTRY_EDIT)
    today = today or timezone.localdate()
    with audited(actor=actor, reason=_("Overdue-case deductions proposed")):
        return proposals_sync(cases=_may_need_a_proposal(today), today=today)


@transaction.atomic
def case_deductions_sweep(*, today: date | None = None) -> dict[str, int]:
    """The daily sweep (beat ``assessments-overdue-cases``): an open case crosses its deadline
    with no push from the case system, so nothing else would propose its deduction; an open
    proposal's days overdue follow the calendar. Audited as the system. A rerun writes nothing."""
    today = today or timezone.localdate()
    with audited(actor=None, reason=_("Daily sweep of overdue cases")):
        return proposals_sync(cases=_may_need_a_proposal(today), today=today)


def _rule() -> AssessmentRule:
    code = conf("OVERDUE_CASE_RULE")
    rule = AssessmentRule.objects.filter(code=code).first()
    if rule is None:
        raise ValidationError(
            _("These assessment rules do not exist: %(codes)s.") % {"codes": code}
        )
    return rule


def _entry_date(case: CaseRecord, today: date) -> date:
    """The day the case became overdue; today when that is later or its month is closed."""
    day = min(overdue_day(case), today)
    if period_for_date(day).is_closed:
        return today
    return day


@transaction.atomic
def case_deductions_confirm(*, actor: Any, ids: list[int]) -> list[CaseDeduction]:
    """Record the chosen proposals as assessment entries under the overdue-case rule, in one
    transaction (all or none). A confirmed proposal is never recorded again."""
    require(actor, Perm.ASSESSMENT_ENTRY_EDIT)
    rule = _rule()
    today = timezone.localdate()
    pending = (
        CaseDeduction.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, state=CaseDeductionState.PROPOSED)
        .select_related("staff", "case", "case__window", "case__service_item")
        .order_by("pk")
    )
    confirmed = []
    with audited(actor=actor, reason=_("Overdue-case deductions confirmed")):
        for item in pending:
            case = item.case
            entry = entry_record(
                actor=actor,
                staff=item.staff,
                rule=rule,
                date=_entry_date(case, today),
                quantity=1,
                window=case.window,
                notes=_(
                    "Case %(case)s (%(item)s): promised by %(deadline)s, %(days)d working days late"
                )
                % {
                    "case": case.case_number,
                    "item": case.service_item.name,
                    "deadline": case.deadline.isoformat(),
                    "days": item.overdue_days,
                },
            )
            item.entry = entry
            item.state = CaseDeductionState.CONFIRMED
            item.decided_by = actor if getattr(actor, "pk", None) else None
            item.save(update_fields=["entry", "state", "decided_by"])
            confirmed.append(item)
    return confirmed


@transaction.atomic
def case_deduction_dismiss(*, actor: Any, deduction: CaseDeduction, reason: str) -> CaseDeduction:
    """Set a proposal aside with a reason (the case is justified: a suspension of the clock the
    case system did not report, say). It is never proposed again."""
    require(actor, Perm.ASSESSMENT_ENTRY_EDIT)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    item = CaseDeduction.objects.select_for_update().get(pk=deduction.pk)
    if item.state != CaseDeductionState.PROPOSED:
        raise ValidationError(_("Only a proposed deduction can be dismissed."))
    item.state = CaseDeductionState.DISMISSED
    item.reason = reason[:200]
    item.decided_by = actor if getattr(actor, "pk", None) else None
    with audited(actor=actor, reason=reason):
        item.save(update_fields=["state", "reason", "decided_by"])
    return item
