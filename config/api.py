"""The REST API router: every app's ViewSets under /api/v1/."""

from rest_framework.routers import DefaultRouter

from notifications.api.views import NotificationViewSet
from staff.api.views import DepartmentViewSet, StaffViewSet
from windows.api.views import StationingViewSet, TransferViewSet, VettingViewSet, WindowViewSet

router = DefaultRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("staff", StaffViewSet, basename="staff")
router.register("windows", WindowViewSet, basename="window")
router.register("stationings", StationingViewSet, basename="stationing")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("vettings", VettingViewSet, basename="vetting")
router.register("notifications", NotificationViewSet, basename="notification")
