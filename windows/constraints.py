"""PostgreSQL-only guarantees on stationings, kept out of the model state on purpose.

SQLite cannot express an exclusion constraint, and Django would try to validate a constraint in
``Meta.constraints`` on every ``full_clean`` (which SQLite cannot run either). So the constraint
lives in the database only, added by migration 0003 when the database is PostgreSQL; the service
layer translates its violation into a clear message on both databases.
"""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models

STATIONING_NO_OVERLAP = "stationing_no_overlap_per_staff"


class DateRange(models.Func):
    function = "DATERANGE"
    output_field = DateRangeField()


def stationing_no_overlap() -> ExclusionConstraint:
    """A person's stationings never overlap: [start_date, end_date), end_date NULL = still open."""
    return ExclusionConstraint(
        name=STATIONING_NO_OVERLAP,
        expressions=[
            ("staff", RangeOperators.EQUAL),
            (
                DateRange("start_date", "end_date", models.Value("[)")),
                RangeOperators.OVERLAPS,
            ),
        ],
    )
