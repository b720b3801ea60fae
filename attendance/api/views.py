"""The attendance API: terminals push punches (system clients, scope ``attendance.punch``);
users read derived days in their scope."""

from __future__ import annotations

from dataclasses import asdict

from django.utils import timezone
from django.utils.dateparse import parse_date
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response

from core.authentication import (
    HasClientScope,
    SessionOrTokenChallenge,
    SystemClientAuthentication,
    SystemClientRateThrottle,
)
from staff.permissions import HasPermission, Perm, scope

from ..models import AttendanceDay
from ..services.punches import punches_push
from .serializers import AttendanceDaySerializer, PunchBatchSerializer, PunchResultSerializer


class PunchPushViewSet(viewsets.ViewSet):
    """``POST /api/v1/punches/`` with ``Authorization: Client <token>`` and
    ``{"punches": [{"staff_number", "at", "record_id", "device", "method"}, …]}`` (at most
    ``PUSH_BATCH_MAX``). Answers 200 with one result per row: ``created``, ``duplicate`` (already
    stored: resending is safe) or ``error`` with the reasons."""

    # A person's session or token is recognized (and refused with 403: no client scope); only a
    # client token passes. Without credentials: 401 with ``WWW-Authenticate: Client``.
    authentication_classes = [
        SystemClientAuthentication,
        SessionOrTokenChallenge,
        TokenAuthentication,
    ]
    permission_classes = [HasClientScope]
    throttle_classes = [SystemClientRateThrottle]
    client_scope = "attendance.punch"

    @extend_schema(request=PunchBatchSerializer, responses=PunchResultSerializer(many=True))
    def create(self, request):
        batch = PunchBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        outcomes = punches_push(client=request.auth, items=batch.validated_data["punches"])
        counts = {"created": 0, "duplicate": 0, "error": 0}
        for outcome in outcomes:
            counts[outcome.result] += 1
        return Response({"counts": counts, "results": [asdict(o) for o in outcomes]})


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
