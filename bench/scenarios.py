"""What the benchmark measures. Each app adds its key pages and endpoints here.

A scenario is (name, persona username, URL or a callable returning one, kind, write, bare):
``kind`` picks the budget (BUDGETS, on the cold path: a "list" ≤ 50 ms median and ≤ 3× its bare
view; a "detail", "home" or "dashboard" page ≤ 100 ms median and ≤ 20 queries); ``write`` is the
write made before each "after a write" request (bench/writes.py: "login", "entry", "transfer",
"rating" — the one that concerns the page); ``bare`` the URL (or a callable returning it) of the
bare equivalent in bench/bare.py, which queries the same rows and renders them plainly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    name: str
    persona: str
    url: str | Callable[[], str]
    kind: str
    write: str = "login"
    bare: str | Callable[[], str] | None = None


def _middle_window_staff_id() -> int:
    """A window staff member in the middle of the table: with a stationing, scores, training
    (the one the benchmark's entries and ratings are recorded for)."""
    from .writes import target_staff_id

    return target_staff_id()


def _bare_staff_detail_url() -> str:
    return f"/bench/bare/staff/{_middle_window_staff_id()}/"


def _bare_evidence_url() -> str:
    return f"/bench/bare/evidence/{_middle_window_staff_id()}/"


def _bare_training_url() -> str:
    return f"/bench/bare/training/{_middle_window_staff_id()}/"


def _staff_detail_url() -> str:
    return f"/staff/{_middle_window_staff_id()}/"


def _my_training_url() -> str:
    """Where /training/me/ sends the window-staff persona: their own training page."""
    from django.urls import reverse

    from staff.models import User

    return reverse("training:person", args=[User.objects.get(username="staff").staff_profile.pk])


def _evidence_page_url() -> str:
    return f"/promotions/staff/{_middle_window_staff_id()}/evidence/"


def _evidence_api_url() -> str:
    return f"/api/v1/staff/{_middle_window_staff_id()}/evidence/"


def _training_menu_api_url() -> str:
    return f"/api/v1/staff/{_middle_window_staff_id()}/training-menu/"


B = "/bench/bare/"
SCENARIOS: list[Scenario] = [
    Scenario("dashboard", "admin", "/dashboard/", "dashboard", "entry", B + "dashboard/"),
    Scenario("staff list", "admin", "/staff/", "list", "login", B + "staff/"),
    Scenario(
        "staff list, filtered",
        "admin",
        "/staff/?employment_type=temporary&gender=female",
        "list",
        "login",
        B + "staff/?employment_type=temporary&gender=female",
    ),
    Scenario(
        "staff list, search",
        "admin",
        "/staff/?q=%E7%8E%8B",
        "list",
        "login",
        B + "staff/?q=%E7%8E%8B",
    ),
    Scenario(
        "staff list, page 100", "admin", "/staff/?page=100", "list", "login", B + "staff/?page=100"
    ),
    Scenario("staff list (liaison)", "liaison", "/staff/", "list", "transfer", B + "staff/"),
    Scenario(
        "staff detail (5-year record)",
        "admin",
        _staff_detail_url,
        "detail",
        "entry",
        _bare_staff_detail_url,
    ),
    Scenario("department list", "admin", "/departments/", "list", "transfer", B + "departments/"),
    Scenario("API staff list", "admin", "/api/v1/staff/", "list", "login", B + "staff/"),
    Scenario(
        "API staff list, filtered",
        "admin",
        "/api/v1/staff/?employment_type=civil_servant",
        "list",
        "login",
        B + "staff/?employment_type=civil_servant",
    ),
    Scenario("window board", "admin", "/windows/", "list", "transfer", B + "windows/"),
    Scenario("transfer list", "admin", "/transfers/", "list", "transfer", B + "transfers/"),
    Scenario("liaison home", "liaison", "/liaison/", "home", "transfer", B + "liaison/"),
    Scenario("API windows", "admin", "/api/v1/windows/", "list", "transfer", B + "windows/"),
    Scenario("API transfers", "admin", "/api/v1/transfers/", "list", "transfer", B + "transfers/"),
    Scenario("period board", "admin", "/assessments/", "list", "entry", B + "scores/board/"),
    Scenario("rankings", "admin", "/rankings/", "list", "entry", B + "scores/board/"),
    Scenario("appeal queue", "admin", "/appeals/", "list", "entry", B + "appeals/"),
    Scenario(
        "rectification queue", "admin", "/rectifications/", "list", "rating", B + "rectifications/"
    ),
    Scenario("API scores", "admin", "/api/v1/scores/", "list", "entry", B + "scores/"),
    Scenario("API entries", "admin", "/api/v1/entries/", "list", "entry", B + "entries/"),
    Scenario("training catalog", "admin", "/training/", "list", "login", B + "courses/"),
    Scenario(
        "training menu (my training)",
        "staff",
        _my_training_url,
        "detail",
        "login",
        B + "training/me/",
    ),
    Scenario(
        "API training menu", "admin", _training_menu_api_url, "detail", "login", _bare_training_url
    ),
    Scenario("evidence pack (HR)", "hr", _evidence_page_url, "detail", "entry", _bare_evidence_url),
    Scenario(
        "API evidence pack (HR)", "hr", _evidence_api_url, "detail", "entry", _bare_evidence_url
    ),
    Scenario("joint department page", "liaison", "/joint/", "detail", "entry", B + "joint/"),
    Scenario("talk list", "liaison", "/joint/talks/", "list", "entry", B + "talks/"),
    Scenario(
        "notification center", "admin", "/notifications/", "list", "rating", B + "notifications/"
    ),
    Scenario(
        "API notifications",
        "admin",
        "/api/v1/notifications/",
        "list",
        "rating",
        B + "notifications/",
    ),
]

# On the cold path, at the province (issue #15). A list's median is also held to ``bare_ratio``
# times its bare view's; p95 is reported, not budgeted (the load test budgets it).
BUDGETS = {
    "list": {"queries": 20, "median": 50.0, "bare_ratio": 3.0},
    "detail": {"queries": 20, "median": 100.0, "bare_ratio": None},
    "home": {"queries": 20, "median": 100.0, "bare_ratio": None},
    "dashboard": {"queries": 20, "median": 100.0, "bare_ratio": None},
}
