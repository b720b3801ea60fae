"""The REST API router: every app's ViewSets under /api/v1/."""

from rest_framework.routers import DefaultRouter

from assessments.api.views import (
    AppealViewSet,
    AwardViewSet,
    EntryViewSet,
    PeriodViewSet,
    RatingViewSet,
    RectificationViewSet,
    RuleViewSet,
    ScoreViewSet,
)
from notifications.api.views import NotificationViewSet
from staff.api.views import DepartmentViewSet, StaffViewSet

router = DefaultRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("staff", StaffViewSet, basename="staff")
# --- assessments (issue #4) ---
router.register("assessment-rules", RuleViewSet, basename="assessment-rule")
router.register("periods", PeriodViewSet, basename="period")
router.register("entries", EntryViewSet, basename="entry")
router.register("scores", ScoreViewSet, basename="score")
router.register("appeals", AppealViewSet, basename="appeal")
router.register("ratings", RatingViewSet, basename="rating")
router.register("rectifications", RectificationViewSet, basename="rectification")
router.register("awards", AwardViewSet, basename="award")
router.register("notifications", NotificationViewSet, basename="notification")
