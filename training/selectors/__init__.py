"""Reads for a user, always scoped. Center-run courses and sessions are open to everyone;
department-run ones to that department (its liaisons and its staff), the center and HR.

One module per part: ``catalog`` (skills, courses, sessions, enrollments, policy updates),
``hours`` (hours and targets, and what the apps above read), ``overdue`` (onboarding and policy
updates overdue, the dashboard block). Callers use ``training.selectors``, which exports every
public name."""

from .catalog import (
    course_get_for_user,
    course_list_for_user,
    enrollment_list_for_user,
    enrollments_for_session,
    policy_update_list_for_user,
    seats_taken,
    session_get_for_user,
    session_list_for_user,
    sessions_in_month,
    skill_list_for_user,
    staff_skills,
    training_history,
)
from .hours import (
    annual_target,
    behind_target,
    department_hours_credited,
    hours_by_category,
    hours_by_category_and_side,
    hours_by_department,
    hours_credited_subquery,
    hours_for_person,
    hours_rows_for_user,
    pace_target,
    people_with_hours,
    with_hours,
    year_bounds,
)
from .overdue import (
    dashboard_figures,
    onboarding_overdue,
    onboarding_overdue_stationings,
    policy_overdue,
    policy_overdue_count,
    policy_pending_pairs,
)

__all__ = [
    "skill_list_for_user",
    "course_list_for_user",
    "course_get_for_user",
    "seats_taken",
    "session_list_for_user",
    "session_get_for_user",
    "sessions_in_month",
    "enrollment_list_for_user",
    "enrollments_for_session",
    "policy_update_list_for_user",
    "staff_skills",
    "training_history",
    "year_bounds",
    "hours_rows_for_user",
    "hours_for_person",
    "annual_target",
    "pace_target",
    "people_with_hours",
    "with_hours",
    "behind_target",
    "hours_by_department",
    "hours_by_category",
    "department_hours_credited",
    "hours_credited_subquery",
    "hours_by_category_and_side",
    "onboarding_overdue",
    "onboarding_overdue_stationings",
    "policy_overdue_count",
    "policy_overdue",
    "policy_pending_pairs",
    "dashboard_figures",
]
