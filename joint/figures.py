"""The department monthly report's figures from the apps joint sits on: this month's average
score of the department's people (assessments) and the training hours credited to them this month
(training). Registered from ``JointConfig.ready()``; one query each."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from .report import register_report_figure


def average_score(department_id: int, first: date, last: date) -> Any:
    from assessments.selectors import department_average_score

    value = department_average_score(department_id, first, last)
    return "—" if value is None else value


def training_hours(department_id: int, first: date, last: date) -> Any:
    from training.selectors import department_hours_credited

    return department_hours_credited(department_id, first, last)


def register() -> None:
    register_report_figure(
        "assessments.average_score",
        order=10,
        label=_("Average monthly score of the department's people"),
        fn=average_score,
        depends_on=("staff.Staff", "assessments.Period", "assessments.Score"),
    )
    register_report_figure(
        "training.hours",
        order=20,
        label=_("Training hours credited this month"),
        fn=training_hours,
        depends_on=("staff.Staff", "training.Course", "training.Session", "training.Enrollment"),
    )
