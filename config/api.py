"""The REST API router: every app's ViewSets under /api/v1/."""

from rest_framework.routers import DefaultRouter

from notifications.api.views import NotificationViewSet
from staff.api.views import DepartmentViewSet, StaffViewSet

router = DefaultRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("staff", StaffViewSet, basename="staff")
router.register("notifications", NotificationViewSet, basename="notification")
