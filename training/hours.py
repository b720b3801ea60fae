"""Training hours kept as rows (:class:`training.models.TrainingHours`): per person, year, course
category and organizer side, the hours credited and the number of sessions.

The rows are the sum of the source rows (attended or completed enrollments, by the session's
year in the center's zone). Only this module writes them: :func:`training_hours_refresh` for the
people a service just credited (called by that service inside its transaction, after its writes),
:func:`training_hours_rebuild` for everyone (the backfill migration, ``seed_demo``, and any repair).
Both compute the rows with the same ``INSERT … SELECT … GROUP BY``, so a refresh is exact by
construction and the tests compare the two.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractYear

from staff.models import Staff

from .models import DONE_STATUSES, Enrollment, TrainingHours

_COLUMNS = ("staff_id", "year", "category", "side", "hours", "sessions")


def insert_rows(enrollments: QuerySet, model: type = TrainingHours) -> None:
    """``INSERT INTO training_traininghours … SELECT`` the aggregate of ``enrollments`` (``model``
    and the queryset may be a migration's historical models)."""
    select = (
        enrollments.filter(status__in=DONE_STATUSES)
        .order_by()
        .annotate(row_year=ExtractYear("session__starts_at"))
        .values("staff_id", "row_year", "session__course__category", "session__course__side")
        .annotate(row_hours=Sum("hours_credited"), row_sessions=Count("id"))
        .values_list(
            "staff_id",
            "row_year",
            "session__course__category",
            "session__course__side",
            "row_hours",
            "row_sessions",
        )
    )
    sql, params = select.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(model._meta.get_field(name.removesuffix("_id")).column)
        for name in _COLUMNS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # noqa: S608


@transaction.atomic
def training_hours_refresh(*, staff_ids: Iterable[int], years: Iterable[int]) -> None:
    """Recompute the rows of ``staff_ids`` for ``years`` from their enrollments. Call it inside
    the transaction that changed those enrollments, after the change. Locks the people's staff
    rows (``FOR NO KEY UPDATE``, in id order) so two services crediting the same person one after
    the other each see the other's enrollments. Four queries whatever the number of people."""
    ids = sorted(set(staff_ids))
    years = sorted(set(years))
    if not ids or not years:
        return
    list(
        Staff.objects.select_for_update(no_key=True)
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    TrainingHours.objects.filter(staff_id__in=ids, year__in=years).delete()
    insert_rows(
        Enrollment.objects.filter(staff_id__in=ids)
        .annotate(in_year=ExtractYear("session__starts_at"))
        .filter(in_year__in=years)
    )


@transaction.atomic
def training_hours_rebuild() -> int:
    """Recompute every row from the enrollments, in two statements. Returns the row count."""
    TrainingHours.objects.all().delete()
    insert_rows(Enrollment.objects.all())
    return TrainingHours.objects.count()
