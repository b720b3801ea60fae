"""Demo workload (issue #18): last month and this month so far, what the queue-and-call system
would have sent for everyone stationed (at most ``PEOPLE``, so the province-scale bench stays
quick): cases handled on one of the window's items, tickets called, some enquiries; a few
service items weighed harder. Written through the workload services (records and the monthly
rows in one go), as a feed would."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from core.audit import audited
from windows.models import ServiceItem, Stationing, Window
from workload.models import ItemWeight
from workload.services.records import Row, write_rows

PEOPLE = 500
HARD_ITEMS = 6  # items weighed 1.5–3


def build(*, rng: random.Random, today: date) -> int:
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    days = [
        first + timedelta(days=n)
        for n in range((today - first).days)
        if (first + timedelta(days=n)).weekday() < 5
    ]
    stationed = list(
        Stationing.objects.filter(end_date__isnull=True, start_date__lte=first)
        .order_by("id")
        .values_list("staff_id", "window_id")[:PEOPLE]
    )
    items: dict[int, list[int]] = {}
    for window_id, item_id in Window.service_items.through.objects.filter(
        window_id__in={w for _s, w in stationed}
    ).values_list("window_id", "serviceitem_id"):
        items.setdefault(window_id, []).append(item_id)
    with audited(actor=None, reason="seed_demo"):
        hard = list(ServiceItem.objects.order_by("code").values_list("id", flat=True)[:HARD_ITEMS])
        ItemWeight.objects.bulk_create(
            [
                ItemWeight(service_item_id=pk, weight=Decimal(rng.choice(["1.5", "2", "3"])))
                for pk in hard
            ],
            ignore_conflicts=True,
        )
        rows = []
        for staff_id, window_id in stationed:
            pace = rng.uniform(0.6, 1.4)  # some people handle more than others
            item = rng.choice(items[window_id]) if items.get(window_id) else None
            for day in days:
                rows.append(
                    Row(staff_id, window_id, item, day, "cases", int(rng.randint(8, 30) * pace))
                )
                rows.append(
                    Row(staff_id, window_id, None, day, "tickets", int(rng.randint(15, 45) * pace))
                )
                if rng.random() < 0.5:
                    rows.append(
                        Row(staff_id, window_id, None, day, "enquiries", rng.randint(0, 12))
                    )
        write_rows(rows, client=None)
    return len(rows)
