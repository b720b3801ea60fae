"""Reminders of the assessment cycle. For now: monthly scoring of the previous month is due by the
``SCORING_DUE_DAY`` (default the 5th); the center administrators are reminded from the 1st.

The departments' monthly report (needs scores) will register here with
``@register_sweep("assessments.monthly_report", schedule=MONTHLY_REPORT)``; beat runs that slot
on the 10th.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from notifications.registry import Due, register_kind, register_sweep
from staff.models import User
from staff.reminders import Recipients

SCORING_DUE = register_kind(
    key="assessment.scoring_due",
    label=_("Monthly scoring due"),
    title=_("Monthly scores for %(month)s are due by %(due)s"),
    body=_(
        "Please finish scoring every window and staff member for %(month)s, including deductions "
        "and bonuses, by %(due)s, so that results can be published and reported to the "
        "departments."
    ),
)


@register_sweep("assessments.scoring_due")
def scoring_due_sweep(today: date) -> Iterator[Due]:
    due_day = settings.NOTIFICATIONS["SCORING_DUE_DAY"]
    if today.day > due_day:
        return
    previous = today.replace(day=1) - timedelta(days=1)
    period = f"{previous:%Y-%m}"
    link = reverse("portal:dashboard")
    for user_id in Recipients().admins:
        yield Due(
            kind=SCORING_DUE.key,
            subject=(User, user_id),
            period=period,
            recipients=[user_id],
            # Rendered per recipient language (a callable is called under the translation).
            params={
                "month": partial(formats.date_format, previous, "YEAR_MONTH_FORMAT"),
                "due": today.replace(day=due_day),
            },
            link=link,
        )
