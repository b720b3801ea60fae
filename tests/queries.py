"""Query counting for the "constant in the number of rows" checks. Nothing is cached between
requests, so every count is the cold path."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def count_cold_queries(call) -> int:
    """Queries of ``call`` (the same as :func:`count_queries`: no figure is cached any more; kept
    for the tests that name the cold path)."""
    return count_queries(call)


def assert_constant_queries(call, grow, *, at_most: int) -> int:
    """Run ``call`` (after one warm-up for the session and the like), ``grow()`` the data, run it
    again: the same query count at N and 2N rows, within ``at_most``."""
    call()
    before = count_queries(call)
    grow()
    after = count_queries(call)
    assert before == after, f"queries grew with the rows: {before} → {after}"
    assert after <= at_most, f"{after} queries, budget {at_most}"
    return after
