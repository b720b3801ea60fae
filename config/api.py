"""The REST API router: every app's ViewSets under /api/v1/."""

from rest_framework.routers import DefaultRouter

from joint.api.views import FollowUpViewSet, TalkViewSet, VisitViewSet
from notifications.api.views import NotificationViewSet
from staff.api.views import DepartmentViewSet, StaffViewSet

router = DefaultRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("staff", StaffViewSet, basename="staff")
router.register("visits", VisitViewSet, basename="visit")
router.register("talks", TalkViewSet, basename="talk")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("notifications", NotificationViewSet, basename="notification")
