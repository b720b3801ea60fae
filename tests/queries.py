"""Query counting for the "constant in the number of rows" checks."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def assert_constant_queries(call, grow, *, at_most: int) -> int:
    """Run ``call`` (after one warm-up), ``grow()`` the data, run it again: same query count."""
    call()
    before = count_queries(call)
    grow()
    after = count_queries(call)
    assert before == after, f"queries grew with the rows: {before} → {after}"
    assert after <= at_most, f"{after} queries, budget {at_most}"
    return after
