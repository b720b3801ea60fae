"""The attendance API: terminals push punches (system clients, scope ``attendance.punch``);
users read derived days in their scope."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_date
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from core.feeds import FeedPushViewSet
from staff.permissions import HasPermission, Perm, scope

from ..models import AttendanceDay
from ..services.punches import punches_push
from .serializers import AttendanceDaySerializer, PunchBatchSerializer, PunchResultSerializer


@extend_schema_view(
    create=extend_schema(request=PunchBatchSerializer, responses=PunchResultSerializer(many=True))
)
class PunchPushViewSet(FeedPushViewSet):
    """``POST /api/v1/punches/`` with ``Authorization: Client <token>`` and
    ``{"punches": [{"staff_number", "at", "record_id", "device", "method"}, …]}`` (at most
    ``PUSH_BATCH_MAX``). Answers 200 with one result per row: ``created``, ``duplicate`` (already
    stored: resending is safe) or ``error`` with the reasons (``core.feeds``)."""

    client_scope = "attendance.punch"
    batch_serializer = PunchBatchSerializer
    rows = "punches"
    results = ("created", "duplicate", "error")
    push = staticmethod(punches_push)


class AttendanceDayViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Derived days in the user's scope; ``?date=YYYY-MM-DD`` (today by default)."""

    serializer_class = AttendanceDaySerializer
    permission_classes = [HasPermission]
    permission_map = {"list": Perm.ATTENDANCE_VIEW}
    ordering_fields = ["date", "staff__staff_number", "id"]
    filterset_fields = ["status", "department", "staff"]

    def get_queryset(self):
        day = parse_date(self.request.query_params.get("date") or "") or timezone.localdate()
        return (
            scope(
                AttendanceDay.objects.filter(date=day),
                self.request.user,
                department="department",
                person="staff",
            )
            .select_related("staff")
            .order_by("staff__staff_number", "id")
        )
