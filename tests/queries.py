"""Query counting for the "constant in the number of rows" checks."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import derived


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def count_cold_queries(call) -> int:
    """Queries of ``call`` with nothing in the derived-figures cache (core.derived)."""
    derived.reset()
    return count_queries(call)


def assert_constant_queries(call, grow, *, at_most: int) -> int:
    """Run ``call`` (after one warm-up), ``grow()`` the data, run it again: same query count, both
    with the derived-figures cache cold (every figure computed) and warm (the figures cached,
    as on every request but the first after a write). ``at_most`` bounds the warm count."""
    call()
    cold_before = count_cold_queries(call)
    before = count_queries(call)
    grow()
    cold_after = count_cold_queries(call)
    after = count_queries(call)
    assert cold_before == cold_after, f"queries grew with the rows: {cold_before} → {cold_after}"
    assert before == after, f"queries grew with the rows (cached): {before} → {after}"
    assert after <= at_most, f"{after} queries, budget {at_most}"
    return after
