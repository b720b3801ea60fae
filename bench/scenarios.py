"""What the benchmark measures. Each app adds its key pages and endpoints here.

A scenario is (name, persona username, URL or a callable returning one, kind) where kind picks the
budget: "list" (≤ 12 queries, median ≤ 50 ms, p95 ≤ 100 ms), "detail" (≤ 20 queries, median ≤ 80 ms)
or "dashboard" (median ≤ 150 ms).
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


def _middle_window_staff_id() -> int:
    """A window staff member in the middle of the table: with a stationing, scores, training."""
    from staff.models import Staff

    ids = Staff.objects.filter(center_role="window").order_by("id").values_list("id", flat=True)
    return ids[ids.count() // 2]


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


SCENARIOS: list[Scenario] = [
    Scenario("dashboard", "admin", "/dashboard/", "dashboard"),
    Scenario("staff list", "admin", "/staff/", "list"),
    Scenario(
        "staff list, filtered", "admin", "/staff/?employment_type=temporary&gender=female", "list"
    ),
    Scenario("staff list, search", "admin", "/staff/?q=%E7%8E%8B", "list"),
    Scenario("staff list, page 100", "admin", "/staff/?page=100", "list"),
    Scenario("staff list (liaison)", "liaison", "/staff/", "list"),
    Scenario("staff detail (5-year record)", "admin", _staff_detail_url, "detail"),
    Scenario("department list", "admin", "/departments/", "list"),
    Scenario("API staff list", "admin", "/api/v1/staff/", "list"),
    Scenario(
        "API staff list, filtered", "admin", "/api/v1/staff/?employment_type=civil_servant", "list"
    ),
    Scenario("window board", "admin", "/windows/", "list"),
    Scenario("transfer list", "admin", "/transfers/", "list"),
    Scenario("liaison home", "liaison", "/liaison/", "list"),
    Scenario("API windows", "admin", "/api/v1/windows/", "list"),
    Scenario("API transfers", "admin", "/api/v1/transfers/", "list"),
    Scenario("period board", "admin", "/assessments/", "list"),
    Scenario("rankings", "admin", "/rankings/", "list"),
    Scenario("appeal queue", "admin", "/appeals/", "list"),
    Scenario("rectification queue", "admin", "/rectifications/", "list"),
    Scenario("API scores", "admin", "/api/v1/scores/", "list"),
    Scenario("API entries", "admin", "/api/v1/entries/", "list"),
    Scenario("training catalog", "admin", "/training/", "list"),
    Scenario("training menu (my training)", "staff", _my_training_url, "detail"),
    Scenario("API training menu", "admin", _training_menu_api_url, "detail"),
    Scenario("evidence pack (HR)", "hr", _evidence_page_url, "detail"),
    Scenario("API evidence pack (HR)", "hr", _evidence_api_url, "detail"),
    Scenario("joint department page", "liaison", "/joint/", "list"),
    Scenario("talk list", "liaison", "/joint/talks/", "list"),
    Scenario("notification center", "admin", "/notifications/", "list"),
    Scenario("API notifications", "admin", "/api/v1/notifications/", "list"),
]

BUDGETS = {
    "list": {"queries": 12, "median": 50.0, "p95": 100.0},
    "detail": {"queries": 20, "median": 80.0, "p95": None},
    "dashboard": {"queries": None, "median": 150.0, "p95": None},
}
