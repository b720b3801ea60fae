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


def _first_staff_url() -> str:
    from staff.models import Staff

    return f"/staff/{Staff.objects.order_by('id').values_list('id', flat=True)[len_half()]}/"


def len_half() -> int:
    from staff.models import Staff

    return Staff.objects.count() // 2


SCENARIOS: list[Scenario] = [
    Scenario("dashboard", "admin", "/dashboard/", "dashboard"),
    Scenario("staff list", "admin", "/staff/", "list"),
    Scenario(
        "staff list, filtered", "admin", "/staff/?employment_type=temporary&gender=female", "list"
    ),
    Scenario("staff list, search", "admin", "/staff/?q=%E7%8E%8B", "list"),
    Scenario("staff list, page 100", "admin", "/staff/?page=100", "list"),
    Scenario("staff list (liaison)", "liaison", "/staff/", "list"),
    Scenario("staff detail", "admin", _first_staff_url, "detail"),
    Scenario("department list", "admin", "/departments/", "list"),
    Scenario("API staff list", "admin", "/api/v1/staff/", "list"),
    Scenario(
        "API staff list, filtered", "admin", "/api/v1/staff/?employment_type=civil_servant", "list"
    ),
]

BUDGETS = {
    "list": {"queries": 12, "median": 50.0, "p95": 100.0},
    "detail": {"queries": 20, "median": 80.0, "p95": None},
    "dashboard": {"queries": None, "median": 150.0, "p95": None},
}
