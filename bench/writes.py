"""The writes the benchmark makes before an "after a write" request, each through the service
that owns it (as a user would make it), and the load test's writers: a login, a recorded
deduction entry, a transfer approval and a citizen rating.

Every write is committed (that is what sends a page back to its cold path); the dataset drifts by
a few rows per run, as a live center would. Each returns the seconds the write itself took (for a
transfer: the approval, not the request raised and submitted before it).
"""

from __future__ import annotations

import itertools
import time
import uuid
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

WRITES = ("login", "entry", "transfer", "rating")
_counter = itertools.count()


def target_staff_id() -> int:
    """The window staff member in the middle of the table (the benchmark's detail pages show
    them): entries and ratings are recorded for them, so their pages are the relevant ones."""
    from staff.models import Staff

    ids = Staff.objects.filter(center_role="window").order_by("id").values_list("id", flat=True)
    return ids[ids.count() // 2]


def _user(username: str):
    from staff.models import User

    return User.objects.get(username=username)


def _open_stationing(staff_id: int):
    from windows.models import Stationing

    return Stationing.objects.open().filter(staff_id=staff_id).select_related("window").first()


def login(*, persona: str, password: str | None = None) -> tuple[float, Client]:
    """A fresh login through the login form (password check, session row, last_login, the
    throttle's access log). Returns the seconds and the logged-in client."""
    from demo.staff import DEMO_PASSWORD

    client = Client(HTTP_HOST="127.0.0.1")
    started = time.perf_counter()
    response = client.post(
        reverse("login"), {"username": persona, "password": password or DEMO_PASSWORD}
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 302:
        raise RuntimeError(f"login of {persona} failed: {response.status_code}")
    return elapsed, client


def simple_deduction_rule():
    """The lightest active deduction that needs no evidence and counts once (occurrence or
    case): what the benchmark's writers record."""
    from assessments.models import AssessmentRule, RuleKind, RuleUnit

    return (
        AssessmentRule.objects.filter(
            active=True,
            kind=RuleKind.DEDUCTION,
            evidence_required=False,
            unit__in=(RuleUnit.OCCURRENCE, RuleUnit.CASE),
        )
        .order_by("points", "id")
        .first()
    )


def entry(*, staff_id: int | None = None, actor: Any = None) -> float:
    """A deduction of one occurrence today, through ``entry_record``, at the person's window."""
    from assessments.services.entries import entry_record
    from staff.models import Staff

    staff = Staff.objects.get(pk=staff_id or target_staff_id())
    stationing = _open_stationing(staff.pk)
    rule = simple_deduction_rule()
    started = time.perf_counter()
    entry_record(
        actor=actor or _user("admin"),
        staff=staff,
        rule=rule,
        date=timezone.localdate(),
        window=stationing.window if stationing else None,
        notes="benchmark",
    )
    return time.perf_counter() - started


def rating(*, staff_id: int | None = None, actor: Any = None, level: str = "2") -> float:
    """A citizen rating of the person's window through ``rating_record`` (不满意 by default, so
    it opens a rectification case too)."""
    from assessments.services.ratings import rating_record

    stationing = _open_stationing(staff_id or target_staff_id())
    started = time.perf_counter()
    rating_record(
        actor=actor or _user("admin"),
        event_ref=f"BENCH-{uuid.uuid4().hex[:20]}",
        window=stationing.window,
        staff=stationing.staff,
        served_at=timezone.now() - timedelta(minutes=5),
        level=level,
        comment="benchmark",
    )
    return time.perf_counter() - started


def transfer(*, liaison: str = "liaison", admin: str = "admin") -> float:
    """A rotation in the liaison's department, raised and submitted by the liaison, approved by
    the center (timed), effective today: the person moves to another window at once."""
    from windows.models import OPEN_STATES, Post, Stationing, TransferKind, TransferRequest, Window
    from windows.services.transfers import transfer_approve, transfer_create, transfer_submit

    liaison_user, admin_user = _user(liaison), _user(admin)
    department = liaison_user.departments.order_by("id").first()
    windows = list(Window.objects.filter(department=department, active=True).order_by("id")[:50])
    if len(windows) < 2:
        raise RuntimeError(f"{department} has fewer than two windows: no rotation possible")
    busy = TransferRequest.objects.filter(state__in=OPEN_STATES, outgoing__isnull=False).values(
        "outgoing_id"
    )
    candidates = (
        Stationing.objects.open()
        .filter(window__department=department, post=Post.STAFF)
        .exclude(staff_id__in=busy)
        .select_related("staff", "window")
        .order_by("id")
    )
    offset = next(_counter) * 7
    today = timezone.localdate()
    for stationing in list(candidates[offset % 200 : offset % 200 + 20]) + list(candidates[:20]):
        other = next(w for w in windows if w.pk != stationing.window_id)
        try:
            request = transfer_create(
                actor=liaison_user,
                kind=TransferKind.ROTATE,
                window=stationing.window,
                to_window=other,
                outgoing=stationing.staff,
                reason="岗位轮换（基准测试）",
                early_justification="基准测试的提前轮换，检验写入在负载下的表现",
                effective_date=today,
            )
            request = transfer_submit(actor=liaison_user, transfer=request)
            started = time.perf_counter()
            transfer_approve(
                actor=admin_user,
                transfer=request,
                today=today,
                override_reason="基准测试：轮换期间临时超出核定人数",
            )
            return time.perf_counter() - started
        except (ValidationError, PermissionDenied):
            continue
    raise RuntimeError("no rotation could be approved")


def run(kind: str, *, persona: str) -> tuple[float, Client | None]:
    """Make one write of ``kind``; a login also hands back its new client (the page after a
    login is that session's first)."""
    if kind == "login":
        return login(persona=persona)
    return {"entry": entry, "transfer": transfer, "rating": rating}[kind](), None
