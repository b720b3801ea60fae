"""Paginators whose count is never cached: an exact ``COUNT(*)`` (an index scan for the lists we
page), except on PostgreSQL when the planner expects more rows than
``CENTER["PAGINATOR_ESTIMATE_ABOVE"]``: then the planner's estimate stands in for the total (the
page says "about"), so a list over millions of rows (the audit trail, notifications) never
counts them all to draw fifty."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property


def planner_estimate(queryset: QuerySet) -> int | None:
    """The number of rows PostgreSQL's planner expects ``queryset`` to return (one EXPLAIN, no
    execution), or None on another database or for a query that matches nothing by
    construction."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:
        return None
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class CountPaginator(Paginator):
    """A Paginator that counts exactly up to a large size and estimates above it.
    ``estimated`` tells a template to say "about". With ``cap`` (a search), it counts at most
    ``cap + 1`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``, which stops scanning there) and,
    past ``cap``, pages through the first ``cap`` only; ``capped`` tells a template to say "more
    than" and to suggest a narrower search."""

    estimated = False
    capped = False

    def __init__(self, *args, cap: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and self.cap is not None:
            found = queryset.order_by()[: self.cap + 1].count()
            if found > self.cap:
                self.capped = True
                return self.cap
            return found
        if isinstance(queryset, QuerySet):
            threshold = settings.CENTER["PAGINATOR_ESTIMATE_ABOVE"]
            estimate = planner_estimate(queryset)
            if estimate is not None and estimate > threshold:
                self.estimated = True
                return estimate
        return super().count


def page_query(request: HttpRequest) -> str:
    """The request's query string without its page number: what a pager's links append to."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
